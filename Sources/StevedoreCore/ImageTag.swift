/// A tag: 1 to 128 of letters, digits, `_`, `.`, `-`, not starting with `.` or `-`.
///
/// The grammar lives here and only here; a tag is validated where it enters (a flag, a reference, a layout
/// location) and travels as this type afterwards.
/// See <https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests>.
public struct ImageTag: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The tag's text.
    public let name: String

    /// Validates `text` as a tag.
    ///
    /// - Throws: ``StevedoreError`` `invalidReference`, with the grammar in the message.
    public init(_ text: String) throws {
        guard Self.isValid(text) else {
            throw StevedoreError(.invalidReference, "tag '\(text)' must be \(Self.grammar)")
        }
        name = text
    }

    /// The rule in words, for messages.
    public static let grammar = "1 to 128 of letters, digits, '_', '.', '-', not starting with '.' or '-'"

    /// The default tag, `latest`.
    public static let latest = ImageTag(unchecked: "latest")

    init(unchecked text: String) { name = text }

    /// Whether `text` follows `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...128).contains(bytes.count) else { return false }
        func word(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f }
        return word(bytes[0]) && bytes.dropFirst().allSatisfy { word($0) || $0 == 0x2e || $0 == 0x2d }
    }

    public var description: String { name }

    public static func < (lhs: ImageTag, rhs: ImageTag) -> Bool { lhs.name < rhs.name }
}
