import Foundation

/// The distribution a root file system is, from its `etc/os-release` (or `usr/lib/os-release`).
public struct OSRelease: Hashable, Sendable {
    /// `ID`, e.g. `debian`.
    public var id: String?
    /// `VERSION_ID`, e.g. `12`.
    public var versionID: String?

    /// Reads `root`'s os-release; both fields are `nil` when it has none.
    public init(root: String) {
        let prefix = root == "/" ? "" : root
        let text = ["/etc/os-release", "/usr/lib/os-release"].lazy
            .compactMap { try? String(contentsOfFile: prefix + $0, encoding: .utf8) }.first ?? ""
        self.init(parsing: text)
    }

    /// Parses os-release text (`KEY=value` lines, values optionally quoted).
    public init(parsing text: String) {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[String(line[..<equals])] = value
        }
        id = values["ID"]
        versionID = values["VERSION_ID"]
    }

    /// `debian-<VERSION_ID>` for a Debian root with a version (the purl `distro` qualifier); `nil` otherwise.
    public var debianDistribution: String? {
        guard id == "debian", let versionID, !versionID.isEmpty else { return nil }
        return "debian-\(versionID)"
    }
}
