import Foundation

/// Encodes and decodes the JSON documents whose digests name images.
///
/// The encoding is canonical: keys sorted, slashes not escaped, no insignificant white space,
/// so the same value always has the same bytes and the same digest.
public enum CanonicalJSON {
    /// The canonical bytes of a value.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes a document, naming `what` it was in the error.
    ///
    /// - Throws: ``StevedoreError`` with code `invalidJSON` and the decoder's reason.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw StevedoreError(.invalidJSON, "\(what) is not a valid \(T.self): \(Self.reason(error))")
        } catch let error as StevedoreError {
            throw StevedoreError(error.code, "\(what): \(error.message)")
        }
    }

    private static func reason(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)'\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}
