import StevedoreCore
/// Who owns an entry in a layer: numeric ids and, optionally, names.
public struct FileOwner: Hashable, Sendable {
    /// The numeric user id.
    public var uid: Int
    /// The numeric group id.
    public var gid: Int
    /// The user name written to the tar header; empty writes none.
    public var userName: String
    /// The group name written to the tar header; empty writes none.
    public var groupName: String

    /// Creates an owner.
    public init(uid: Int = 0, gid: Int = 0, userName: String = "", groupName: String = "") {
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
    }

    /// uid 0, gid 0, no names: what every entry gets unless told otherwise.
    public static let root = FileOwner()
}

/// One entry of a layer: a directory, a regular file, a symbolic link or a hard link, with its path in the
/// image, permission bits and owner.
public struct FileTreeEntry: Hashable, Sendable {
    /// Where a regular file's bytes come from.
    public enum Contents: Hashable, Sendable {
        /// A file on the host, read when the layer is written.
        case hostFile(path: String)
        /// Bytes held in memory, e.g. a generated `/etc/passwd`.
        case bytes([UInt8])
    }

    /// What the entry is.
    public enum Kind: Hashable, Sendable {
        case directory
        case regularFile(Contents)
        /// A symbolic link; `target` is written as is.
        case symbolicLink(target: String)
        /// A hard link to another regular file of the same tree, given by its image path.
        case hardLink(to: String)
    }

    /// The normalised path in the image: relative, no leading `/`, no `.` or `..` components, no trailing `/`.
    public let path: String
    /// What the entry is.
    public var kind: Kind
    /// Permission bits, including setuid, setgid and sticky (`0o7777` at most).
    public var mode: UInt32
    /// The owner written to the tar header.
    public var owner: FileOwner

    /// Creates an entry, normalising `path` (a leading `/`, `./`, repeated or trailing `/` are dropped).
    ///
    /// - Throws: ``StevedoreError`` `invalidPath` when the path is empty, has a `..` component or a NUL byte,
    ///   or `mode` has bits outside `0o7777`.
    public init(path: String, kind: Kind, mode: UInt32, owner: FileOwner = .root) throws {
        self.path = try ImagePath.normalize(path)
        guard mode & ~UInt32(0o7777) == 0 else {
            throw StevedoreError(.invalidPath, "mode \(String(mode, radix: 8)) of '\(path)' has bits beyond 07777; give permission bits only (e.g. 0o755)")
        }
        if case .hardLink(let target) = kind {
            self.kind = .hardLink(to: try ImagePath.normalize(target))
        } else {
            self.kind = kind
        }
        self.mode = mode
        self.owner = owner
    }

    /// Whether the entry is a directory.
    public var isDirectory: Bool {
        if case .directory = kind { return true }
        return false
    }
}

/// Normalisation of paths inside an image.
enum ImagePath {
    /// Returns `path` relative, without `.` components, repeated or trailing slashes.
    static func normalize(_ path: String) throws -> String {
        guard !path.utf8.contains(0) else {
            throw StevedoreError(.invalidPath, "the image path '\(path.replacingNUL)' contains a NUL byte")
        }
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                throw StevedoreError(.invalidPath, "the image path '\(path)' contains a '..' component; give the path from the image root, e.g. 'usr/lib/app'")
            }
            components.append(component)
        }
        guard !components.isEmpty else {
            throw StevedoreError(.invalidPath, "the image path '\(path)' names the image root; give a file or directory below it, e.g. 'app'")
        }
        return components.joined(separator: "/")
    }

    /// The parent directories of a normalised path, outermost first (`a/b/c` → `a`, `a/b`).
    static func parents(of path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            result.append(String(path[..<slash]))
            index = path.index(after: slash)
        }
        return result
    }

    /// Byte-wise (UTF-8) ordering, the order entries are written in.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

extension String {
    fileprivate var replacingNUL: String { String(map { $0 == "\0" ? "\\0" : String($0) }.joined()) }
}
