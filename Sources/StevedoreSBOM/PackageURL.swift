/// A package URL (purl, <https://github.com/package-url/purl-spec>): `pkg:TYPE/NAMESPACE/NAME@VERSION?QUALIFIERS`.
///
/// Each component is percent-encoded except for the characters the specification leaves as they are
/// (`A-Z a-z 0-9 . - _ ~`, and `:` in a version, as Debian epochs are written); qualifiers are sorted by key.
public struct PackageURL: Hashable, Sendable, CustomStringConvertible {
    /// The package type, e.g. `deb`, `swift`, `oci`.
    public var type: String
    /// Namespace segments, e.g. `["github.com", "apple"]`.
    public var namespace: [String]
    /// The package name.
    public var name: String
    /// The version, if any.
    public var version: String?
    /// Qualifiers such as `arch` and `distro`; those without a value are left out.
    public var qualifiers: [String: String]

    /// Creates a package URL.
    public init(type: String, namespace: [String] = [], name: String, version: String? = nil, qualifiers: [String: String] = [:]) {
        self.type = type
        self.namespace = namespace
        self.name = name
        self.version = version
        self.qualifiers = qualifiers
    }

    /// The purl text.
    public var description: String {
        var text = "pkg:\(type)/"
        for segment in namespace where !segment.isEmpty { text += Self.encode(segment) + "/" }
        text += Self.encode(name)
        if let version { text += "@" + Self.encode(version, keeping: ":") }
        let pairs = qualifiers.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        if !pairs.isEmpty {
            text += "?" + pairs.map { "\($0.key)=\(Self.encode($0.value, keeping: ":/"))" }.joined(separator: "&")
        }
        return text
    }

    private static func encode(_ text: String, keeping kept: String = "") -> String {
        let keptBytes = Set(kept.utf8)
        var out = ""
        for byte in text.utf8 {
            let isUnreserved = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2e || byte == 0x2d || byte == 0x5f || byte == 0x7e
            if isUnreserved || keptBytes.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0f)])
            }
        }
        return out
    }
}
