import Foundation
import StevedoreArchive
import StevedoreCore
import StevedoreLayout

/// Makes the layers of a build through a ``LayerCache``: a layer whose inputs were seen before, and whose blob
/// is still intact somewhere the build can use, is reused without being compressed again; every other layer
/// is written by ``LayerWriter`` and recorded.
///
/// A reused layer is byte-identical to what a cold build writes, because the key holds everything the bytes
/// depend on (see ``LayerCacheKey``). A layer whose host files change while it is written is not recorded.
public struct CachedLayerWriter: Sendable {
    /// Writes the layers that are not found.
    public var writer: LayerWriter
    /// The cache; `nil` writes every layer and records nothing (`--no-cache`).
    public var cache: LayerCache?
    /// Hashes host files for the keys.
    public var hasher: FileContentHasher
    /// Whether the repository the image is pushed to has a blob; set only when no local output needs the
    /// blobs (a push without an OCI layout output), so that a layer pushed before needs no local copy.
    public var remoteHasBlob: (@Sendable (Digest) async throws -> Bool)?
    /// Told about each layer.
    public var progress: any LayerProgress

    public init(writer: LayerWriter, cache: LayerCache?, progress: any LayerProgress = SilentLayerProgress()) {
        self.writer = writer
        self.cache = cache
        self.hasher = FileContentHasher(threads: writer.options.threads)
        self.progress = progress
    }

    /// One layer to make: its tree and a name for progress.
    public struct Request: Sendable {
        public var tree: FileTree
        public var name: String

        public init(tree: FileTree, name: String) { (self.tree, self.name) = (tree, name) }
    }

    /// Makes each layer, in order, with its blob in `store` (or, when ``remoteHasBlob`` said so, in the target
    /// repository only).
    ///
    /// - Throws: the writer's and hasher's errors; ``StevedoreError`` `io` when the cache cannot be written.
    public func write(_ requests: [Request], into store: BlobStore) async throws -> [(layer: WrittenLayer, outcome: LayerOutcome)] {
        guard let cache else {
            var results: [(WrittenLayer, LayerOutcome)] = []
            for (index, request) in requests.enumerated() {
                results.append((try await writeLayer(request, index: index, count: requests.count, into: store), .written))
            }
            return results
        }
        var records = FileDigestRecords(contentsOf: cache.fileDigestsPath)
        let paths = requests.flatMap { LayerCacheKey.hostFiles(of: $0.tree) }
        let hashed = try await hasher.hash(Array(Set(paths)).sorted(), records: &records)

        var results: [(WrittenLayer, LayerOutcome)] = []
        for (index, request) in requests.enumerated() {
            let key = try LayerCacheKey(tree: request.tree, options: writer.options, hostFiles: hashed.contents)
            if let recorded = cache.layer(for: key), let place = try await find(recorded, cache: cache, store: store, records: &records) {
                progress.started(index: index, count: requests.count, name: request.name, size: recorded.uncompressedSize)
                progress.finished(index: index, layer: recorded, outcome: .reused(place), elapsed: .zero)
                results.append((recorded, .reused(place)))
                continue
            }
            let layer = try await writeLayer(request, index: index, count: requests.count, into: store)
            if unchangedSinceHashing(request.tree, hashed.identities) {
                try cache.record(layer, for: key)
                if cache.blobs.root != store.root { _ = cache.blobs.hardLink(layer.descriptor.digest, from: store) }
            }
            results.append((layer, .written))
        }
        records.keep(only: Set(paths).union(verifiedBlobs(results.map(\.0), cache: cache, store: store)))
        try records.write(to: cache.fileDigestsPath)
        return results
    }

    /// Where `layer`'s blob is usable from: intact in `store`, intact in the cache (then linked into `store`),
    /// or in the target repository; `nil` when nowhere. A damaged local copy is removed.
    private func find(_ layer: WrittenLayer, cache: LayerCache, store: BlobStore, records: inout FileDigestRecords) async throws -> LayerOutcome.Place? {
        let descriptor = layer.descriptor
        if store.contains(descriptor.digest) {
            if Self.isIntact(descriptor, in: store, records: &records) { return store.root == cache.blobs.root ? .cache : .output }
            store.remove(descriptor.digest)
        }
        if cache.blobs.root != store.root, cache.blobs.contains(descriptor.digest) {
            if Self.isIntact(descriptor, in: cache.blobs, records: &records) {
                try store.link(descriptor.digest, from: cache.blobs)
                return .cache
            }
            cache.blobs.remove(descriptor.digest)
        }
        if let remoteHasBlob, try await remoteHasBlob(descriptor.digest) { return .registry }
        return nil
    }

    /// Whether a stored blob has its descriptor's bytes: known when its file's identity is the one it had when
    /// it was last hashed (any write moves its ctime), else hashed now and recorded.
    private static func isIntact(_ descriptor: Descriptor, in store: BlobStore, records: inout FileDigestRecords) -> Bool {
        let path = store.path(for: descriptor.digest)
        if let identity = try? FileIdentity(path: path), records.content(of: path, identity: identity) == .init(size: descriptor.size, digest: descriptor.digest) {
            return true
        }
        guard store.containsIntact(descriptor), let identity = try? FileIdentity(path: path) else { return false }
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000_000)
        records.record(path, identity: identity, content: .init(size: descriptor.size, digest: descriptor.digest), hashedAt: now)
        return true
    }

    /// The blob files of `layers` whose records are worth keeping for the next build.
    private func verifiedBlobs(_ layers: [WrittenLayer], cache: LayerCache, store: BlobStore) -> Set<String> {
        Set(layers.flatMap { [store.path(for: $0.descriptor.digest), cache.blobs.path(for: $0.descriptor.digest)] })
    }

    private func writeLayer(_ request: Request, index: Int, count: Int, into store: BlobStore) async throws -> WrittenLayer {
        let size = request.tree.entries.reduce(Int64(0)) { total, entry in
            switch entry.kind {
            case .regularFile(.bytes(let bytes)): total + Int64(bytes.count)
            case .regularFile(.hostFile(let path)): total + ((try? FileIdentity(path: path).size) ?? 0)
            default: total
            }
        }
        progress.started(index: index, count: count, name: request.name, size: size)
        let started = ContinuousClock.now
        let progress = self.progress
        let layer = try await writer.write(request.tree, to: store) { progress.advanced(index: index, bytes: $0) }
        progress.finished(index: index, layer: layer, outcome: .written, elapsed: ContinuousClock.now - started)
        return layer
    }

    /// Whether every host file of `tree` still has the identity it was hashed with.
    private func unchangedSinceHashing(_ tree: FileTree, _ identities: [String: FileIdentity]) -> Bool {
        LayerCacheKey.hostFiles(of: tree).allSatisfy { path in
            (try? FileIdentity(path: path)) == identities[path]
        }
    }
}
