import StevedoreCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The library directories listed by `/etc/ld.so.conf` and the files it includes, in order.
///
/// `ldconfig` turns these into `/etc/ld.so.cache`, which the loader consults after `DT_RUNPATH` and before its
/// default directories. Parsing follows `ldconfig`: `#` starts a comment; `include PATTERN…` reads every file
/// matching each glob pattern (sorted, relative patterns taken from the including file's directory); `hwcap`
/// lines are ignored; any other line names one directory (a legacy `=TYPE` suffix is dropped).
public struct LoaderConfiguration: Hashable, Sendable {
    /// The directories, absolute, without duplicates, in the order `ldconfig` meets them.
    public var directories: [String]

    /// The deepest chain of `include`s followed (a file including itself stops here).
    static let maximumIncludeDepth = 16
    /// The largest configuration file read, in bytes.
    static let maximumFileSize = 1024 * 1024

    /// Reads `path` (default `/etc/ld.so.conf`) and what it includes, all inside `root` (default `/`, the host).
    ///
    /// A missing file yields no directories, as for `ldconfig`.
    /// - Throws: ``StevedoreError`` `unreadable` when a file exists but cannot be read.
    public init(root: String = "/", path: String = "/etc/ld.so.conf") throws {
        var directories: [String] = []
        try Self.read(path, root: FileSystemRoot(hostDirectory: root), depth: 0, into: &directories)
        var seen = Set<String>()
        self.directories = directories.filter { seen.insert($0).inserted }
    }

    /// Creates a configuration listing `directories`.
    public init(directories: [String]) {
        self.directories = directories
    }

    private static func read(_ path: String, root: FileSystemRoot, depth: Int, into directories: inout [String]) throws {
        guard depth < maximumIncludeDepth else { return }
        guard let resolved = try root.resolve(path), root.isRegularFile(resolved.path) else { return }
        let reader = try ELFFileReader.open(root.hostPath(resolved.path))
        defer { reader.close() }
        let bytes = try reader.available(at: 0, upTo: maximumFileSize, what: "contents")
        let text = String(decoding: bytes, as: UTF8.self)
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = String(line).trimmingSpaces
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("include"), trimmed.dropFirst(7).first.map({ $0 == " " || $0 == "\t" }) == true {
                let patterns = trimmed.dropFirst(7).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                for pattern in patterns {
                    let absolute = pattern.hasPrefix("/") ? pattern : FileSystemRoot.join(FileSystemRoot.directory(of: path), pattern)
                    for included in matches(absolute, root: root) {
                        try read(included, root: root, depth: depth + 1, into: &directories)
                    }
                }
                continue
            }
            if trimmed.hasPrefix("hwcap"), trimmed.dropFirst(5).first.map({ $0 == " " || $0 == "\t" }) == true { continue }
            var directory = trimmed
            if let equals = directory.firstIndex(of: "=") { directory = String(directory[..<equals]).trimmingSpaces }
            while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
            if directory.hasPrefix("/") { directories.append(directory) }
        }
    }

    /// The paths inside `root` matching the glob `pattern` (an absolute path inside the root), sorted.
    private static func matches(_ pattern: String, root: FileSystemRoot) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(root.hostPath(pattern), 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let cPath = result.gl_pathv[index] else { continue }
            if let inside = root.pathInside(hostPath: String(cString: cPath)) { paths.append(inside) }
        }
        return paths.sorted()
    }
}
