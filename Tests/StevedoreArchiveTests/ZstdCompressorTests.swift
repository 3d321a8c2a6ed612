import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreArchive

/// zstd layers: pinned bytes, the same at every thread count, and read back by the `zstd` tool.
///
/// Serialized: each write holds libzstd's job buffers (about 3 × 8 MiB per thread), and other suites measure
/// the test process's peak memory.
@Suite(.serialized, .dedicatedThread) struct ZstdCompressorTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("stevedore-zstd-test") }

    /// The bytes depend on libzstd's version (its match finders change between releases): pinned for each
    /// version this project has been built with. A new libzstd gives a new digest, to be recorded here.
    static let goldenDigests: [UInt32: String] = [
        10504: "sha256:aa425ac055f1601a763affed11ca27c568309841bd9864607ae43d5ebbe47be6",
    ]
    // The tar stream does not depend on libzstd.
    static let goldenDiffID = "sha256:60428811da5bb2904ef574870160ef62b9bd3db10093c8935d1d23148c9b5d21"

    /// The inline tree and ~20 MB more, text and random bytes, so libzstd cuts it into several jobs (8 MiB at level 3).
    static func multiJobTree() throws -> FileTree {
        var tree = try LayerFixtures.inlineTree()
        try tree.addFile("big/random", contents: LayerFixtures.bytes(count: 6_000_000, seed: 3))
        try tree.addFile("big/text", text: String(repeating: "zstd jobs are cut at fixed sizes ", count: 400_000))
        var mixed = LayerFixtures.bytes(count: 2_000_000, seed: 21)
        for index in stride(from: 0, to: mixed.count, by: 3) { mixed[index] = 0x41 }
        try tree.addFile("big/mixed", contents: mixed)
        return tree
    }

    static func options(_ compression: LayerCompression = .zstd(level: 3), threads: Int) -> LayerOptions {
        LayerOptions(compression: compression, threads: threads, modificationTime: 1_700_000_000)
    }

    @Test func multiJobTreeHasThePinnedDigest() async throws {
        let (layer, store) = try await LayerFixtures.write(Self.multiJobTree(), options: Self.options(threads: 2), in: scratch)
        #expect(layer.descriptor.mediaType == .ociLayerZstd)
        #expect(layer.uncompressedSize > 20_000_000)
        let version = ZstdCompressor.libraryVersion
        let golden = try #require(Self.goldenDigests[version], "libzstd \(version) writes \(layer.descriptor.digest); pin it in goldenDigests")
        #expect(layer.descriptor.digest.description == golden)
        #expect(layer.diffID.description == Self.goldenDiffID)
        // The frame: no content size (streaming), a content checksum.
        let list = try LayerFixtures.shell("zstd -lv '\(store.path(of: layer.descriptor.digest))' 2>&1")
        #expect(list.contains("Check: XXH64"), "\(list)")
        #expect(!list.contains("Decompressed Size:"), "\(list)")
    }

    @Test(arguments: [1, 2, 3, 4])
    func threadCountDoesNotChangeTheBytes(threads: Int) async throws {
        let tree = try Self.multiJobTree()
        let (reference, _) = try await LayerFixtures.write(tree, options: Self.options(threads: 1), in: scratch)
        let (layer, store) = try await LayerFixtures.write(tree, options: Self.options(threads: threads), in: scratch)
        #expect(layer == reference)
        let blob = store.path(of: layer.descriptor.digest)
        try LayerFixtures.shell("zstd -tq '\(blob)'")
        #expect(try LayerFixtures.shell("zstd -dc '\(blob)' | sha256sum").hasPrefix(layer.diffID.encoded))
        #expect(try LayerFixtures.shell("zstd -dc '\(blob)' | wc -c").trimmingCharacters(in: .whitespacesAndNewlines) == String(layer.uncompressedSize))
    }

    @Test(arguments: [1, 19])
    func levelsGiveValidStreams(level: Int) async throws {
        var tree = try LayerFixtures.inlineTree()
        try tree.addFile("text", text: String(repeating: "level ", count: 100_000))
        let (layer, store) = try await LayerFixtures.write(tree, options: Self.options(.zstd(level: level), threads: 2), in: scratch)
        #expect(try LayerFixtures.shell("zstd -dc '\(store.path(of: layer.descriptor.digest))' | sha256sum").hasPrefix(layer.diffID.encoded))
    }

    @Test func smallerThanGzipAtTheDefaults() async throws {
        let tree = try Self.multiJobTree()
        let (zstd, _) = try await LayerFixtures.write(tree, options: Self.options(threads: 2), in: scratch)
        let (gzip, _) = try await LayerFixtures.write(tree, options: Self.options(.default, threads: 2), in: scratch)
        #expect(zstd.diffID == gzip.diffID)
        #expect(zstd.descriptor.size < gzip.descriptor.size)
    }

    @Test func emptyTreeIsAValidLayer() async throws {
        let (layer, store) = try await LayerFixtures.write(FileTree(), options: Self.options(threads: 1), in: scratch)
        #expect(layer.uncompressedSize == 1024)
        try LayerFixtures.shell("zstd -tq '\(store.path(of: layer.descriptor.digest))'")
    }

    @Test func readsBackThroughLayerScanner() async throws {
        let tree = try Self.multiJobTree()
        let (layer, store) = try await LayerFixtures.write(tree, options: Self.options(threads: 2), in: scratch)
        let report = try await LayerReader().read(layer.descriptor, from: store)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.diffID == layer.diffID)
        #expect(report.uncompressedSize == layer.uncompressedSize)
        #expect(report.blobDigest == layer.descriptor.digest)
        #expect(report.entries.contains("big/random"))
        // The diffID is the sha256 of the tar the zstd tool decompresses.
        let tar = try LayerFixtures.shell("zstd -dc '\(store.path(of: layer.descriptor.digest))' | sha256sum")
        #expect(tar.hasPrefix(report.diffID.encoded))
    }

    @Test func sinkFailureAbortsTheBlob() async throws {
        let (layer, _) = try await LayerFixtures.write(Self.multiJobTree(), options: Self.options(threads: 2), in: scratch)
        #expect(layer.descriptor.size > 1_000_000)
        let sink = LayerWriterTests.FailingSink(limit: 1_000_000)
        let error = await #expect(throws: StevedoreError.self) {
            try await LayerWriter(options: Self.options(threads: 2)).write(Self.multiJobTree(), to: sink)
        }
        #expect(error?.code == .sinkFailure)
        #expect(error?.message.contains("disk full") == true)
        #expect(sink.aborted)
        #expect(!sink.committed)
    }
}
