/// Makes SPDX element identifiers (`SPDXRef-` followed by letters, digits, `.` and `-`) from names and paths, the
/// same for the same inputs, and unique within one document.
public struct SPDXIdentifier: Sendable {
    private var used: Set<String> = ["SPDXRef-DOCUMENT"]

    /// An empty set of identifiers.
    public init() {}

    /// `SPDXRef-` and the parts joined by `-`, each sanitised (``sanitized(_:)``).
    public static func make(_ parts: [String]) -> String {
        "SPDXRef-" + parts.map(sanitized).filter { !$0.isEmpty }.joined(separator: "-")
    }

    /// `text` with every character outside `A-Z a-z 0-9 . -` replaced by `-`, runs of `-` collapsed and leading or
    /// trailing ones dropped, e.g. `/usr/lib/libz.so.1` → `usr-lib-libz.so.1`.
    public static func sanitized(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let isAllowed = (scalar >= "A" && scalar <= "Z") || (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "."
            if isAllowed {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// A new identifier from `parts`: ``make(_:)``, with `-2`, `-3`… appended when an earlier call already gave it.
    public mutating func allocate(_ parts: [String]) -> String {
        let base = Self.make(parts)
        var candidate = base
        var counter = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        used.insert(candidate)
        return candidate
    }
}
