import Foundation
import StevedoreArchive
import StevedoreCore
import StevedoreLayout

/// Layers already made, found again by their inputs: a ``LayerCacheKey`` maps to the layer it gave, and the
/// layer's blob is looked for in the store the build writes to, in the cache's own blob store, and (for a
/// push) in the target repository. A blob found locally is re-hashed before it is trusted; one whose bytes
/// no longer match is removed and the layer is written again.
///
/// On disk, under the cache directory (`$STEVEDORE_CACHE_DIR`, `~/.cache/stevedore`):
/// - `blobs/sha256/…`: blobs, as in an OCI layout (base layers downloaded for `--from` live here too);
/// - `layers/<key>`: one small JSON file per key: the layer's media type, digest, size, diffID and
///   uncompressed size;
/// - `file-digests`: the ``FileDigestRecords`` of the files the last builds read.
public struct LayerCache: Sendable {
    /// The cache directory.
    public let root: String
    /// The cache's blob store (`root/blobs`).
    public let blobs: BlobStore

    /// Opens (creating) the cache at `root`.
    ///
    /// - Throws: ``StevedoreError`` when the directory cannot be created.
    public init(root: String) throws {
        self.root = root
        blobs = try BlobStore(root: root)
    }

    /// The layer recorded for `key`, if any (whether its blob still exists is not checked).
    public func layer(for key: LayerCacheKey) -> WrittenLayer? {
        guard let data = FileManager.default.contents(atPath: recordPath(key)),
              let record = try? JSONDecoder().decode(Record.self, from: data),
              let digest = try? Digest(parsing: record.digest), let diffID = try? Digest(parsing: record.diffID) else { return nil }
        return WrittenLayer(
            descriptor: Descriptor(mediaType: MediaType(record.mediaType), digest: digest, size: record.size),
            diffID: diffID, uncompressedSize: record.uncompressedSize
        )
    }

    /// Records that `key` gave `layer`.
    ///
    /// - Throws: ``StevedoreError`` `io`.
    public func record(_ layer: WrittenLayer, for key: LayerCacheKey) throws {
        let record = Record(
            mediaType: layer.descriptor.mediaType.rawValue, digest: layer.descriptor.digest.description, size: layer.descriptor.size,
            diffID: layer.diffID.description, uncompressedSize: layer.uncompressedSize
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try CacheFile.replace(recordPath(key), with: try encoder.encode(record))
    }

    /// Where the file digests of earlier builds are kept.
    public var fileDigestsPath: String { "\(root)/file-digests" }

    private func recordPath(_ key: LayerCacheKey) -> String { "\(root)/layers/\(key.digest.encoded)" }

    private struct Record: Codable {
        var mediaType: String
        var digest: String
        var size: Int64
        var diffID: String
        var uncompressedSize: Int64
    }
}
