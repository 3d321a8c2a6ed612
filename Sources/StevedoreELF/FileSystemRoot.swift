import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory of the host seen as the `/` of a file system, the way the dynamic loader inside an image (or a
/// `chroot`) sees it: absolute symbolic-link targets are resolved inside the root, never outside it.
struct FileSystemRoot: Sendable {
    /// A symbolic link passed while resolving a path.
    struct Link: Hashable, Sendable {
        /// The link's path inside the root.
        var path: String
        /// The link's target exactly as stored (relative or absolute).
        var target: String
    }

    /// A path with every symbolic link resolved, and the links that were passed.
    struct Resolution: Sendable {
        var path: String
        var links: [Link]
    }

    /// The host directory that is `/`; `/` itself for the host's own file system.
    let hostDirectory: String

    /// The most links followed for one path, as Linux's `MAXSYMLINKS`.
    static let maximumLinks = 40

    init(hostDirectory: String) {
        let trimmed = hostDirectory.count > 1 && hostDirectory.hasSuffix("/") ? String(hostDirectory.dropLast()) : hostDirectory
        self.hostDirectory = trimmed.isEmpty ? "/" : trimmed
    }

    /// The host path of `path`, an absolute path inside the root.
    func hostPath(_ path: String) -> String {
        hostDirectory == "/" ? path : hostDirectory + path
    }

    /// The root-relative form of a host path under ``hostDirectory``, or `nil` when it lies elsewhere.
    func pathInside(hostPath: String) -> String? {
        if hostDirectory == "/" { return hostPath }
        guard hostPath.hasPrefix(hostDirectory + "/") else { return nil }
        return String(hostPath.dropFirst(hostDirectory.count))
    }

    /// Resolves every symbolic link of the absolute `path` (and of its last component when `followingLast`),
    /// collapsing `.` and `..` the way the kernel does.
    ///
    /// - Returns: `nil` when a component does not exist or is not a directory where one is needed.
    /// - Throws: ``StevedoreError`` `symlinkLoop` after ``maximumLinks`` links.
    func resolve(_ path: String, followingLast: Bool = true) throws -> Resolution? {
        var pending = Array(path.split(separator: "/").map(String.init).reversed())
        var resolved: [String] = []
        var links: [Link] = []
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            var status = stat()
            guard lstat(hostPath(candidate), &status) == 0 else { return nil }
            let isLink = (status.st_mode & S_IFMT) == S_IFLNK
            if isLink, !pending.isEmpty || followingLast {
                guard links.count < Self.maximumLinks, let target = readLink(hostPath(candidate)) else {
                    throw StevedoreError(.symlinkLoop, "'\(hostPath(path))' goes through more than \(Self.maximumLinks) symbolic links (a loop?) or through a link that cannot be read")
                }
                links.append(Link(path: candidate, target: target))
                if target.hasPrefix("/") { resolved = [] }
                pending += target.split(separator: "/").map(String.init).reversed()
                continue
            }
            if !pending.isEmpty, (status.st_mode & S_IFMT) != S_IFDIR { return nil }
            resolved.append(component)
        }
        return Resolution(path: "/" + resolved.joined(separator: "/"), links: links)
    }

    /// Whether `path` (inside the root, already resolved) is a regular file.
    func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(hostPath(path), &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    private func readLink(_ hostPath: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(hostPath, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` with `.` and `..` collapsed textually (no file-system access), always absolute.
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The directory part of an absolute path (`/` for a file at the top).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// `directory` and `name` joined with one slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
