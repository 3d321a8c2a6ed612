import Foundation
import StevedoreArchive
import StevedoreCache
import StevedoreCore
import StevedoreLayout
import StevedoreTestSupport
import Testing

/// Records what happened to each layer.
final class RecordingLayerProgress: LayerProgress, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int: LayerOutcome] = [:]
    private var advances = 0

    func started(index: Int, count: Int, name: String, size: Int64) {}
    func advanced(index: Int, bytes: Int64) { lock.withLock { advances += 1 } }
    func finished(index: Int, layer: WrittenLayer, outcome: LayerOutcome, elapsed: Duration) {
        lock.withLock { recorded[index] = outcome }
    }

    var outcomes: [LayerOutcome] { lock.withLock { recorded.keys.sorted().compactMap { recorded[$0] } } }
    var advanceCount: Int { lock.withLock { advances } }
}

@Suite(.dedicatedThread) struct CachedLayerWriterTests {
    /// Three layers like a build's: files from the host, an in-memory file, a link.
    static func requests(_ work: TemporaryDirectory) throws -> [CachedLayerWriter.Request] {
        var libraries = FileTree()
        try libraries.addFile("usr/lib/libone.so", hostPath: try work.write("host/libone.so", String(repeating: "one ", count: 50_000)))
        try libraries.addFile("etc/passwd", text: "root:x:0:0::/:/sbin/nologin\n")
        var resources = FileTree()
        try resources.addFile("srv/data.txt", hostPath: try work.write("host/data.txt", "data v1\n"))
        try resources.addSymbolicLink("srv/current", target: "data.txt")
        var executable = FileTree()
        try executable.addFile("usr/local/bin/app", hostPath: try work.write("host/app", String(repeating: "app ", count: 80_000), mode: 0o755), mode: 0o755)
        return [.init(tree: libraries, name: "libraries"), .init(tree: resources, name: "resources"), .init(tree: executable, name: "executable")]
    }

    static func writer(cache: LayerCache?, progress: any LayerProgress = SilentLayerProgress()) -> CachedLayerWriter {
        CachedLayerWriter(writer: LayerWriter(options: LayerOptions(threads: 2, modificationTime: 1_700_000_000)), cache: cache, progress: progress)
    }

    @Test func aCachedBuildGivesTheColdBuildsBytesWithoutCompressing() async throws {
        let work = try TemporaryDirectory("cache-cold-warm")
        let requests = try Self.requests(work)
        let cold = try await Self.writer(cache: nil).write(requests, into: try BlobStore(root: work.appending("cold")))
        let cache = try LayerCache(root: work.appending("cache"))
        let first = try await Self.writer(cache: cache).write(requests, into: try BlobStore(root: work.appending("first")))
        let progress = RecordingLayerProgress()
        let second = try await Self.writer(cache: cache, progress: progress).write(requests, into: try BlobStore(root: work.appending("second")))
        #expect(first.map(\.layer) == cold.map(\.layer))
        #expect(second.map(\.layer) == cold.map(\.layer))
        #expect(first.map(\.outcome) == [.written, .written, .written])
        #expect(progress.outcomes == [.reused(.cache), .reused(.cache), .reused(.cache)])
        #expect(progress.advanceCount == 0)
        let store = try BlobStore(root: work.appending("second"))
        for (layer, _) in second { #expect(store.containsIntact(layer.descriptor)) }
    }

    @Test func aLayerInTheOutputIsReusedFromThere() async throws {
        let work = try TemporaryDirectory("cache-output")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let store = try BlobStore(root: work.appending("layout"))
        _ = try await Self.writer(cache: cache).write(requests, into: store)
        let again = try await Self.writer(cache: cache).write(requests, into: store)
        #expect(again.map(\.outcome) == [.reused(.output), .reused(.output), .reused(.output)])
    }

    @Test func touchingAFileWithoutChangingItStillHitsTheCache() async throws {
        let work = try TemporaryDirectory("cache-touch")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let store = try BlobStore(root: work.appending("layout"))
        let first = try await Self.writer(cache: cache).write(requests, into: store)
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, work.appending("host/app"), &times, 0) == 0)
        let second = try await Self.writer(cache: cache).write(requests, into: store)
        #expect(second.map(\.outcome) == [.reused(.output), .reused(.output), .reused(.output)])
        #expect(second.map(\.layer) == first.map(\.layer))
    }

    @Test func changingOneByteMissesOnlyThatLayer() async throws {
        let work = try TemporaryDirectory("cache-byte")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let store = try BlobStore(root: work.appending("layout"))
        let first = try await Self.writer(cache: cache).write(requests, into: store)
        _ = try work.write("host/data.txt", "data v2\n")
        let second = try await Self.writer(cache: cache).write(requests, into: store)
        #expect(second.map(\.outcome) == [.reused(.output), .written, .reused(.output)])
        #expect(second[1].layer.descriptor.digest != first[1].layer.descriptor.digest)
        let cold = try await Self.writer(cache: nil).write(requests, into: try BlobStore(root: work.appending("cold")))
        #expect(second.map(\.layer) == cold.map(\.layer))
    }

    /// A blob whose bytes changed under its digest (disk damage, a hand edit) is found out by re-hashing and
    /// written again, in the output and in the cache.
    @Test func aCorruptedCachedBlobIsRebuilt() async throws {
        let work = try TemporaryDirectory("cache-corrupt")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let first = try await Self.writer(cache: cache).write(requests, into: try BlobStore(root: work.appending("one")))
        let executable = first[2].layer.descriptor
        let cached = cache.blobs.path(for: executable.digest)
        // Same size, one byte flipped, written in place: every hard link to the blob sees it.
        let handle = try #require(FileHandle(forUpdatingAtPath: cached))
        try handle.seek(toOffset: UInt64(executable.size / 2))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64(executable.size / 2))
        try handle.write(contentsOf: Data([byte ^ 0xFF]))
        try handle.close()
        #expect(!cache.blobs.containsIntact(executable))

        let store = try BlobStore(root: work.appending("two"))
        let second = try await Self.writer(cache: cache).write(requests, into: store)
        #expect(second.map(\.outcome) == [.reused(.cache), .reused(.cache), .written])
        #expect(second.map(\.layer) == first.map(\.layer))
        #expect(store.containsIntact(executable))
        // The next build finds an intact blob again.
        let third = try await Self.writer(cache: cache).write(requests, into: try BlobStore(root: work.appending("three")))
        #expect(third.map(\.outcome) == [.reused(.cache), .reused(.cache), .reused(.cache)])
    }

    @Test func aMissingCachedBlobIsRebuilt() async throws {
        let work = try TemporaryDirectory("cache-missing")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let first = try await Self.writer(cache: cache).write(requests, into: cache.blobs)
        cache.blobs.remove(first[0].layer.descriptor.digest)
        let second = try await Self.writer(cache: cache).write(requests, into: cache.blobs)
        #expect(second.map(\.outcome) == [.written, .reused(.cache), .reused(.cache)])
        #expect(second.map(\.layer) == first.map(\.layer))
    }

    /// Without a local output, a layer the push target has needs no local blob.
    @Test func aLayerTheRegistryHasIsReusedWithoutALocalBlob() async throws {
        let work = try TemporaryDirectory("cache-remote")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let first = try await Self.writer(cache: cache).write(requests, into: cache.blobs)
        for (layer, _) in first { cache.blobs.remove(layer.descriptor.digest) }
        let pushed = Set(first.map(\.layer.descriptor.digest))
        var writer = Self.writer(cache: cache)
        writer.remoteHasBlob = { pushed.contains($0) }
        let second = try await writer.write(requests, into: cache.blobs)
        #expect(second.map(\.outcome) == [.reused(.registry), .reused(.registry), .reused(.registry)])
        #expect(second.map(\.layer) == first.map(\.layer))
    }

    @Test func otherOptionsAreOtherKeys() async throws {
        let work = try TemporaryDirectory("cache-options")
        let requests = try Self.requests(work)
        let cache = try LayerCache(root: work.appending("cache"))
        let store = try BlobStore(root: work.appending("layout"))
        _ = try await Self.writer(cache: cache).write(requests, into: store)
        var writer = Self.writer(cache: cache)
        writer.writer.options.modificationTime += 1
        #expect(try await writer.write(requests, into: store).map(\.outcome) == [.written, .written, .written])
        writer.writer.options.compression = .gzip(level: 1)
        #expect(try await writer.write(requests, into: store).map(\.outcome) == [.written, .written, .written])
        // The thread count is not an input: the bytes do not depend on it.
        writer.writer.options.threads = 1
        #expect(try await writer.write(requests, into: store).map(\.outcome) == [.reused(.output), .reused(.output), .reused(.output)])
    }
}
