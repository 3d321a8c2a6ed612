import Foundation
import StevedoreCore

/// How ``LayerWriter`` builds a layer. None of these change the bytes written except `compression`,
/// `modificationTime` and `blockSize`: the thread count never does.
public struct LayerOptions: Hashable, Sendable {
    /// The compression and its level.
    public var compression: LayerCompression
    /// How many threads compress at once.
    public var threads: Int
    /// The modification time of every entry, in seconds since 1970 (`SOURCE_DATE_EPOCH`).
    public var modificationTime: Int64
    /// The size of the pieces the tar stream is cut into for parallel gzip compression; at least 64 KiB.
    /// zstd ignores it: libzstd sizes its jobs from the level (see ``ZstdCompressor``).
    public var blockSize: Int

    /// Creates options; the defaults are gzip level 6, one thread per active processor, time 0 and 128 KiB blocks.
    public init(
        compression: LayerCompression = .default,
        threads: Int = LayerOptions.activeProcessorCount,
        modificationTime: Int64 = 0,
        blockSize: Int = 128 << 10
    ) {
        self.compression = compression
        self.threads = threads
        self.modificationTime = modificationTime
        self.blockSize = blockSize
    }

    /// The processors this process may use (`ProcessInfo.activeProcessorCount`).
    public static var activeProcessorCount: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Options whose `modificationTime` comes from the `SOURCE_DATE_EPOCH` environment variable, 0 when unset.
    ///
    /// - Throws: ``StevedoreError`` `invalidOptions` when the variable is set but is not a whole number of seconds.
    public static func fromEnvironment(_ environment: [String: String]) throws -> LayerOptions {
        var options = LayerOptions()
        if let value = environment["SOURCE_DATE_EPOCH"], !value.isEmpty {
            guard let seconds = Int64(value), seconds >= 0 else {
                throw StevedoreError(.invalidOptions, "SOURCE_DATE_EPOCH='\(value)' is not a whole number of seconds since 1970; set it to e.g. $(git log -1 --format=%ct)")
            }
            options.modificationTime = seconds
        }
        return options
    }

    func validate() throws {
        try compression.validate()
        guard (1...256).contains(threads) else {
            throw StevedoreError(.invalidOptions, "\(threads) compression threads is out of range; use 1 to 256")
        }
        guard (64 << 10 ... 64 << 20).contains(blockSize) else {
            throw StevedoreError(.invalidOptions, "block size \(blockSize) is out of range; use 64 KiB to 64 MiB")
        }
        guard modificationTime >= 0, modificationTime < 8_589_934_592 else {
            throw StevedoreError(.invalidOptions, "modification time \(modificationTime) is out of range; use seconds since 1970, below 2^33")
        }
    }
}
