import Foundation
import StevedoreCore

/// The JSON encoding of SBOM documents: sorted keys, slashes unescaped, indented, so the same inventory always
/// gives the same bytes.
public enum SBOMEncoding {
    /// The document's bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        var data = try encoder.encode(value)
        data.append(0x0a)
        return data
    }

    /// `YYYY-MM-DDThh:mm:ssZ` of seconds since the epoch, in UTC.
    public static func timestamp(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
