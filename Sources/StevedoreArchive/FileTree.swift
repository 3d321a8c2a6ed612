import StevedoreCore
/// The contents of one layer, independent of where files are on the host.
///
/// Entries are kept by normalised image path. Adding an entry at a path that already has one replaces it
/// (the later add wins), except that a directory that has entries below it can only be replaced by another
/// directory, and an entry cannot be added below a path that is not a directory: both throw
/// ``StevedoreError`` `pathConflict`. Missing parent directories are added as `0755` directories owned by root;
/// adding the directory explicitly later replaces that default.
///
/// ``entries`` lists everything sorted by path in UTF-8 byte order, parents before children: the order the
/// layer is written in.
public struct FileTree: Equatable, Sendable {
    private struct Stored: Equatable, Sendable {
        var entry: FileTreeEntry
        var isImplicit: Bool
    }

    private var storage: [[UInt8]: Stored] = [:]
    private var pathsWithChildren: Set<[UInt8]> = []

    /// An empty tree.
    public init() {}

    /// The number of entries, implicit parent directories included.
    public var count: Int { storage.count }

    /// Every entry, sorted by path in UTF-8 byte order.
    public var entries: [FileTreeEntry] {
        storage.values.map(\.entry).sorted { ImagePath.precedes($0.path, $1.path) }
    }

    /// The entry at `path`, if any.
    public func entry(at path: String) -> FileTreeEntry? {
        guard let normalized = try? ImagePath.normalize(path) else { return nil }
        return storage[Array(normalized.utf8)]?.entry
    }

    /// Adds an entry, creating missing parent directories.
    ///
    /// - Throws: ``StevedoreError`` `pathConflict` when a parent is not a directory, or when a directory with
    ///   entries below it would be replaced by something else.
    public mutating func add(_ entry: FileTreeEntry) throws {
        for parent in ImagePath.parents(of: entry.path) {
            let key = Array(parent.utf8)
            if let existing = storage[key] {
                guard existing.entry.isDirectory else {
                    throw StevedoreError(.pathConflict, "cannot add '\(entry.path)': '\(parent)' is already in the layer and is not a directory")
                }
            } else {
                storage[key] = Stored(entry: try FileTreeEntry(path: parent, kind: .directory, mode: 0o755), isImplicit: true)
            }
            pathsWithChildren.insert(key)
        }
        let key = Array(entry.path.utf8)
        if !entry.isDirectory, pathsWithChildren.contains(key) {
            throw StevedoreError(.pathConflict, "cannot add '\(entry.path)' as a file or link: it is already a directory with entries below it")
        }
        storage[key] = Stored(entry: entry, isImplicit: false)
    }

    /// Adds a directory with explicit permission bits.
    public mutating func addDirectory(_ path: String, mode: UInt32 = 0o755, owner: FileOwner = .root) throws {
        try add(FileTreeEntry(path: path, kind: .directory, mode: mode, owner: owner))
    }

    /// Adds a regular file whose bytes are read from `hostPath` when the layer is written.
    public mutating func addFile(_ path: String, hostPath: String, mode: UInt32 = 0o644, owner: FileOwner = .root) throws {
        try add(FileTreeEntry(path: path, kind: .regularFile(.hostFile(path: hostPath)), mode: mode, owner: owner))
    }

    /// Adds a regular file with the given bytes, e.g. a generated `/etc/passwd`.
    public mutating func addFile(_ path: String, contents: [UInt8], mode: UInt32 = 0o644, owner: FileOwner = .root) throws {
        try add(FileTreeEntry(path: path, kind: .regularFile(.bytes(contents)), mode: mode, owner: owner))
    }

    /// Adds a regular file holding the UTF-8 bytes of `text`.
    public mutating func addFile(_ path: String, text: String, mode: UInt32 = 0o644, owner: FileOwner = .root) throws {
        try addFile(path, contents: Array(text.utf8), mode: mode, owner: owner)
    }

    /// Adds a symbolic link; `target` is stored as given.
    public mutating func addSymbolicLink(_ path: String, target: String, owner: FileOwner = .root) throws {
        guard !target.isEmpty, !target.utf8.contains(0) else {
            throw StevedoreError(.invalidPath, "the symbolic link '\(path)' needs a target without NUL bytes")
        }
        try add(FileTreeEntry(path: path, kind: .symbolicLink(target: target), mode: 0o777, owner: owner))
    }

    /// Adds a hard link to the regular file at image path `target`, which must sort before `path`
    /// (tar readers create the target first).
    public mutating func addHardLink(_ path: String, to target: String, owner: FileOwner = .root) throws {
        try add(FileTreeEntry(path: path, kind: .hardLink(to: target), mode: 0o644, owner: owner))
    }

    /// The entries in write order, after checking that every hard link names a regular file written earlier.
    ///
    /// - Throws: ``StevedoreError`` `invalidHardLink`.
    func validatedEntries() throws -> [FileTreeEntry] {
        let sorted = entries
        for entry in sorted {
            guard case .hardLink(let target) = entry.kind else { continue }
            guard let linked = storage[Array(target.utf8)]?.entry else {
                throw StevedoreError(.invalidHardLink, "the hard link '\(entry.path)' points at '\(target)', which is not in the layer; add that file first")
            }
            guard case .regularFile = linked.kind else {
                throw StevedoreError(.invalidHardLink, "the hard link '\(entry.path)' points at '\(target)', which is not a regular file; hard links must name regular files")
            }
            guard ImagePath.precedes(target, entry.path) else {
                throw StevedoreError(.invalidHardLink, "the hard link '\(entry.path)' points at '\(target)', which sorts after it; swap them so the file comes first in byte order")
            }
        }
        return sorted
    }
}
