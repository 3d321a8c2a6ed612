import StevedoreCore

/// How a layer's tar stream is compressed, and at which level: part of what determines the layer's bytes.
public enum LayerCompression: Hashable, Sendable, CustomStringConvertible {
    /// gzip (RFC 1952) through zlib, level 1 (fastest) to 9 (smallest); every runtime reads it.
    case gzip(level: Int)
    /// zstd (RFC 8878) through libzstd, level 1 (fastest) to 19 (smallest), default 3. Read by containerd ≥ 1.5,
    /// podman and CRI-O (containers/storage) and Docker ≥ 23; older runtimes cannot unpack it.
    case zstd(level: Int)

    /// gzip at level 6, the default.
    public static let `default` = LayerCompression.gzip(level: 6)

    /// The media type of a layer compressed this way.
    public var mediaType: MediaType {
        switch self {
        case .gzip: .ociLayerGzip
        case .zstd: .ociLayerZstd
        }
    }

    /// The level.
    public var level: Int {
        switch self {
        case .gzip(let level), .zstd(let level): level
        }
    }

    /// `gzip:6` or `zstd:3`: the form `--compression` takes.
    public var description: String {
        switch self {
        case .gzip(let level): "gzip:\(level)"
        case .zstd(let level): "zstd:\(level)"
        }
    }

    /// Parses `gzip`, `gzip:LEVEL`, `zstd` or `zstd:LEVEL`.
    ///
    /// - Throws: ``StevedoreError`` `invalidOptions` naming the forms that are understood.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let levelText = parts.count == 2 ? String(parts[1]) : nil
        func level(default value: Int) throws -> Int {
            guard let levelText else { return value }
            guard let level = Int(levelText) else {
                throw StevedoreError(.invalidOptions, "'\(levelText)' in '\(text)' is not a compression level; give a whole number, e.g. gzip:9 or zstd:19")
            }
            return level
        }
        switch parts[0].lowercased() {
        case "gzip": self = .gzip(level: try level(default: 6))
        case "zstd": self = .zstd(level: try level(default: 3))
        default:
            throw StevedoreError(.invalidOptions, "'\(text)' is not a layer compression; use gzip, gzip:LEVEL, zstd or zstd:LEVEL")
        }
        try validate()
    }

    func validate() throws {
        switch self {
        case .gzip(let level):
            guard (1...9).contains(level) else {
                throw StevedoreError(.invalidOptions, "gzip level \(level) is out of range; use 1 (fastest) to 9 (smallest)")
            }
        case .zstd(let level):
            guard (1...19).contains(level) else {
                throw StevedoreError(.invalidOptions, "zstd level \(level) is out of range; use 1 (fastest) to 19 (smallest)")
            }
        }
    }
}
