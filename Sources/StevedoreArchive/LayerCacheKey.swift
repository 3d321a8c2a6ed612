import StevedoreCore

/// What a layer's bytes are a function of, as one digest: two trees with equal keys, written with equal
/// options, give byte-identical layers.
///
/// The key covers every entry in write order (path, type, permission bits, owner ids and names, link target,
/// size and the `sha256` of each regular file's bytes), the modification time every entry gets
/// (`SOURCE_DATE_EPOCH`), the compression and its level, the block size compression is cut into, and
/// ``LayerWriter/formatVersion``. The thread count is not part of it: it never changes the bytes.
public struct LayerCacheKey: Hashable, Sendable, CustomStringConvertible {
    /// The `sha256` of the canonical text of the inputs.
    public let digest: Digest

    /// The size and `sha256` of a regular file's bytes, as hashed before the layer is written.
    public struct FileContent: Hashable, Sendable {
        public var size: Int64
        public var digest: Digest

        public init(size: Int64, digest: Digest) { (self.size, self.digest) = (size, digest) }
    }

    /// The key of `tree` written with `options`.
    ///
    /// - Parameter hostFiles: the content of every host file the tree names (``FileTreeEntry/Contents/hostFile(path:)``),
    ///   by host path.
    /// - Throws: ``StevedoreError`` `unreadableFile` when a host file of the tree has no entry in `hostFiles`.
    public init(tree: FileTree, options: LayerOptions, hostFiles: [String: FileContent]) throws {
        var hasher = DigestHasher()
        func add(_ fields: [String]) {
            // Fields are separated by NUL and entries end with a newline: neither can occur inside a path
            // (NUL is refused) in a way that makes two different inputs print the same text.
            hasher.update(Array(fields.joined(separator: "\u{0}").utf8) + [0x0A])
        }
        add(["stevedore-layer-cache-key", "1", LayerWriter.formatVersion])
        add(["compression", options.compression.description, "mtime", String(options.modificationTime), "block", String(options.blockSize)])
        for entry in tree.entries {
            let owner = entry.owner
            let common = [entry.path, String(entry.mode, radix: 8), String(owner.uid), String(owner.gid), owner.userName, owner.groupName]
            switch entry.kind {
            case .directory:
                add(["d"] + common)
            case .symbolicLink(let target):
                add(["l"] + common + [target])
            case .hardLink(let target):
                add(["h"] + common + [target])
            case .regularFile(.bytes(let bytes)):
                add(["f"] + common + [String(bytes.count), Digest.sha256(of: bytes).description])
            case .regularFile(.hostFile(let path)):
                guard let content = hostFiles[path] else {
                    throw StevedoreError(.unreadableFile, "no content digest for '\(path)' (for '\(entry.path)'); hash the tree's host files first")
                }
                add(["f"] + common + [String(content.size), content.digest.description])
            }
        }
        digest = hasher.finalize()
    }

    /// The host files `tree` reads bytes from, each once, in write order.
    public static func hostFiles(of tree: FileTree) -> [String] {
        var seen: Set<String> = []
        return tree.entries.compactMap { entry in
            guard case .regularFile(.hostFile(let path)) = entry.kind, seen.insert(path).inserted else { return nil }
            return path
        }
    }

    public var description: String { digest.description }
}
