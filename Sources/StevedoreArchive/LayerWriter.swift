import CArchive
import CZlib
import Foundation
import StevedoreCore

/// Writes a ``FileTree`` as a reproducible gzip- or zstd-compressed tar layer into a ``BlobSink``.
///
/// The same tree and options give the same bytes on any machine, with any thread count: entries are sorted,
/// every entry gets the same modification time and only the metadata in ``FileTreeEntry``, and compression
/// is cut into fixed blocks (see ``LayerOptions``; zstd: ``ZstdCompressor``). The tar stream is hashed for the
/// diffID and compressed in the same single pass; the compressed bytes go straight into the sink. Memory stays
/// at a few blocks per thread whatever the size of the layer.
public struct LayerWriter: Sendable {
    /// How layers are built.
    public var options: LayerOptions

    /// Creates a writer.
    public init(options: LayerOptions = LayerOptions()) {
        self.options = options
    }

    /// What, besides a ``LayerCacheKey``'s inputs, decides the bytes this writer makes: the layout of the tar
    /// stream it writes and the libarchive, zlib and libzstd versions that write and compress it. A layer cache keyed
    /// with it never hands back a layer an older writer made differently. Bump the first part whenever the same
    /// tree and options would give other bytes (the golden-digest tests fail then).
    public static var formatVersion: String {
        "stevedore-layer-1 libarchive-\(archive_version_number()) zlib-\(String(cString: zlibVersion())) zstd-\(ZstdCompressor.libraryVersion)"
    }

    /// Writes `tree` as a `tar+gzip` or `tar+zstd` layer into `sink` and commits the blob.
    ///
    /// The blocking tar and compression work runs on threads of its own, not on Swift's cooperative pool. On
    /// any error, or when the task is cancelled, the blob is aborted and nothing is committed.
    ///
    /// - Parameter progress: told the number of uncompressed tar bytes written so far, from the writer's thread.
    /// - Throws: ``StevedoreError`` (unreadable file, a file changing size while read, a libarchive, zlib or
    ///   libzstd failure, a bad hard link, options out of range), or the sink's own error.
    public func write(_ tree: FileTree, to sink: any BlobSink, progress: (@Sendable (Int64) -> Void)? = nil) async throws -> WrittenLayer {
        try options.validate()
        let entries = try tree.validatedEntries()
        let options = self.options
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WrittenLayer, any Error>) in
                let thread = Thread {
                    continuation.resume(with: Result {
                        try Self.writeBlocking(entries, options: options, sink: sink, cancellation: cancellation, progress: progress)
                    })
                }
                thread.name = "stevedore-tar"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    private static func writeBlocking(
        _ entries: [FileTreeEntry], options: LayerOptions, sink: any BlobSink, cancellation: CancellationFlag,
        progress: (@Sendable (Int64) -> Void)?
    ) throws -> WrittenLayer {
        if cancellation.isCancelled { throw cancelled }
        let blob = try sink.makeBlobWriter()
        let compressor: any LayerCompressor
        do {
            compressor = try options.compression.makeCompressor(
                threads: options.threads, blockSize: options.blockSize, output: { try blob.write($0) }
            )
        } catch {
            blob.abort()
            throw error
        }
        do {
            var hasher = DigestHasher()
            let tar = try TarStreamWriter(modificationTime: options.modificationTime) { bytes in
                if cancellation.isCancelled { throw cancelled }
                hasher.update(bytes)
                try compressor.append(bytes)
                progress?(hasher.count)
            }
            for entry in entries {
                if cancellation.isCancelled { throw cancelled }
                try tar.write(entry)
            }
            try tar.finish()
            try compressor.finish()
            let diffID = hasher.finalize()
            let uncompressedSize = hasher.count
            let (digest, size) = try blob.commit(expected: nil)
            return WrittenLayer(
                descriptor: Descriptor(mediaType: options.compression.mediaType, digest: digest, size: size),
                diffID: diffID,
                uncompressedSize: uncompressedSize
            )
        } catch {
            compressor.abandon()
            blob.abort()
            throw error
        }
    }

    private static var cancelled: StevedoreError {
        StevedoreError(.cancelled, "writing the layer was cancelled")
    }
}
