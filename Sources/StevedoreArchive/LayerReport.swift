import StevedoreCore

/// Something wrong found in a layer by ``LayerScanner``.
public struct LayerProblem: Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: String, Hashable, Sendable {
        /// Two entries have the same path (after dropping `./` and trailing `/`).
        case duplicatePath
        /// An entry's path starts with `/`.
        case absolutePath
        /// An entry's path, or a hard link's target, has a `..` component.
        case parentTraversal
        /// The tar stream is damaged: a bad header checksum or number, a malformed pax header, or it ends
        /// in the middle of an entry or without its end-of-archive blocks.
        case corruptTar
        /// The bytes are not compressed the way the media type says (e.g. a plain tar labelled gzip).
        case mediaTypeMismatch
        /// The gzip stream is damaged: bad data, a wrong CRC or length, or bytes after it that are not gzip.
        case corruptGzip
        /// The gzip stream stops before its end: the blob is truncated.
        case truncatedGzip
        /// The zstd stream is damaged: bad data, a wrong checksum, a window beyond 128 MiB, or bytes after it
        /// that are not zstd.
        case corruptZstd
        /// The zstd stream stops in the middle of a frame: the blob is truncated.
        case truncatedZstd
        /// The blob's digest or size differs from its descriptor.
        case digestMismatch
        /// A warning: an entry's path goes through a symbolic link that an earlier entry of the same layer
        /// made, so extracting it writes wherever that link points (the "symlink, then write" pattern).
        case pathThroughSymlink
        /// A warning: a character or block device node.
        case deviceNode
        /// A warning: a file with the setuid or setgid bit.
        case setuidOrSetgid
        /// A warning: a hard link whose target is not an earlier entry of the same layer.
        case hardLinkOutsideLayer

        /// Whether this kind is a warning: the layer is well formed, but extracting it may do something a
        /// reviewer wants to know about. `stevedore verify` reports warnings, and fails on them with `--strict`.
        public var isWarning: Bool {
            switch self {
            case .pathThroughSymlink, .deviceNode, .setuidOrSetgid, .hardLinkOutsideLayer: true
            default: false
            }
        }
    }

    /// What kind of problem.
    public var kind: Kind
    /// The tar entry involved, if any.
    public var path: String?
    /// What is wrong, for a user.
    public var message: String

    /// Creates a problem.
    public init(_ kind: Kind, path: String? = nil, _ message: String) { (self.kind, self.path, self.message) = (kind, path, message) }

    public var description: String { message }
}

/// What ``LayerScanner`` found in a layer blob.
public struct LayerReport: Hashable, Sendable {
    /// The `sha256` of the uncompressed tar stream (the bytes that were decompressed, when damaged).
    public var diffID: Digest
    /// The size of the uncompressed tar stream in bytes.
    public var uncompressedSize: Int64
    /// The `sha256` of the blob as given (the compressed bytes for a gzip or zstd layer).
    public var blobDigest: Digest
    /// The size of the blob as given.
    public var blobSize: Int64
    /// Every entry's path as stored in the tar (pax and GNU long names applied), in stream order.
    public var entries: [String]
    /// The problems found, at most ``LayerScanner/problemLimit``.
    public var problems: [LayerProblem]
    /// How many more problems were found but not kept.
    public var omittedProblemCount: Int
    /// The warnings found (kinds whose ``LayerProblem/Kind/isWarning`` is true), at most
    /// ``LayerScanner/problemLimit``.
    public var warnings: [LayerProblem] = []
    /// How many more warnings were found but not kept.
    public var omittedWarningCount = 0

    /// Whether nothing is wrong (warnings aside).
    public var isValid: Bool { problems.isEmpty }
}
