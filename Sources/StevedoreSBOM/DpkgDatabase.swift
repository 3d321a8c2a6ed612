import Foundation
import StevedoreCore

/// dpkg's record of the installed Debian packages under a root file system: which package owns a file
/// (`var/lib/dpkg/info/NAME[:ARCH].list`) and each package's version and architecture (`var/lib/dpkg/status`).
///
/// Paths are matched as dpkg wrote them and through the usr-merge aliases (`/lib/…` and `/usr/lib/…`, likewise
/// `/bin`, `/sbin`, `/lib32`, `/lib64`, `/libx32`), since a package may list either while the loader opens the other.
public struct DpkgDatabase: Sendable {
    /// The root file system, e.g. `/` or a sysroot.
    public var root: String
    /// The installed packages by `NAME:ARCH`, and by `NAME` for the ones whose list file has no architecture.
    private var packages: [String: DebianPackage] = [:]
    /// The owning list (`NAME` or `NAME:ARCH`) of each path that was asked about and found.
    private var owners: [String: String] = [:]

    /// The database directory of `root`: `<root>/var/lib/dpkg`.
    public static func directory(root: String) -> String {
        (root == "/" ? "" : root) + "/var/lib/dpkg"
    }

    /// Whether `root` has a dpkg database.
    public static func exists(root: String) -> Bool {
        FileManager.default.fileExists(atPath: directory(root: root) + "/status")
    }

    /// Reads the status file and the list files of the packages owning any of `paths` (paths inside `root`).
    ///
    /// - Parameters:
    ///   - root: The root file system whose `var/lib/dpkg` is read.
    ///   - paths: The absolute paths (inside `root`) whose owners will be asked for.
    /// - Throws: ``StevedoreError`` `unreadableSBOMInput` when the status file exists but cannot be read.
    public init(root: String, paths: Set<String>) throws {
        self.root = root
        let directory = Self.directory(root: root)
        let statusPath = directory + "/status"
        guard FileManager.default.fileExists(atPath: statusPath) else { return }
        let distribution = OSRelease(root: root).debianDistribution
        let status: String
        do {
            status = try String(contentsOfFile: statusPath, encoding: .utf8)
        } catch {
            throw StevedoreError(.unreadableSBOMInput, "cannot read dpkg's status file \(statusPath): \(error.localizedDescription)", cause: error)
        }
        for paragraph in Self.paragraphs(status) {
            guard let name = paragraph["Package"], let version = paragraph["Version"], let architecture = paragraph["Architecture"],
                  paragraph["Status"]?.hasSuffix(" installed") ?? false
            else { continue }
            let source = paragraph["Source"].map { String($0.split(separator: " ").first ?? "") }.flatMap { $0.isEmpty || $0 == name ? nil : $0 }
            let package = DebianPackage(name: name, version: version, architecture: architecture, source: source, distribution: distribution)
            packages["\(name):\(architecture)"] = package
            if packages[name] == nil || architecture == "all" { packages[name] = package }
        }
        var wanted: Set<String> = []
        for path in paths { wanted.formUnion(Self.aliases(of: path)) }
        let info = directory + "/info"
        let lists = ((try? FileManager.default.contentsOfDirectory(atPath: info)) ?? []).filter { $0.hasSuffix(".list") }.sorted()
        for list in lists {
            guard let text = try? String(contentsOfFile: info + "/" + list, encoding: .utf8) else { continue }
            let owner = String(list.dropLast(".list".count))
            for line in text.split(separator: "\n") where wanted.contains(String(line)) {
                if owners[String(line)] == nil { owners[String(line)] = owner }
            }
        }
    }

    /// The installed package that owns `path` (inside ``root``) or, failing that, one of `otherPaths` (e.g. the
    /// same file under a symbolic link's name); `nil` when dpkg knows none of them.
    public func package(owning path: String, or otherPaths: [String] = []) -> DebianPackage? {
        for candidate in [path] + otherPaths {
            for alias in Self.aliases(of: candidate) {
                guard let owner = owners[alias] else { continue }
                if let package = packages[owner] { return package }
            }
        }
        return nil
    }

    /// `path` and its usr-merge twin.
    static func aliases(of path: String) -> [String] {
        let merged = ["/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"]
        if merged.contains(where: { path.hasPrefix($0) }) { return [path, "/usr" + path] }
        if path.hasPrefix("/usr/"), merged.contains(where: { path.dropFirst(4).hasPrefix($0) }) { return [path, String(path.dropFirst(4))] }
        return [path]
    }

    /// The RFC 822-style paragraphs of a dpkg control file; continuation lines are dropped.
    static func paragraphs(_ text: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var current: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if !current.isEmpty { result.append(current) }
                current = [:]
            } else if line.first != " ", line.first != "\t", let colon = line.firstIndex(of: ":") {
                current[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
