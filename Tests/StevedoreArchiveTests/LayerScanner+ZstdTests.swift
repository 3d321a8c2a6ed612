import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreArchive

/// ``LayerScanner`` on zstd blobs: written by Stevedore or by the `zstd` tool, whole, truncated, corrupt or mislabelled.
@Suite(.dedicatedThread) struct LayerScannerZstdTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("stevedore-zstd-scan") }

    static let zstdOptions = LayerOptions(compression: .zstd(level: 3), threads: 2)

    func writeZstdLayer(randomBytes: Int = 500_000) async throws -> (layer: WrittenLayer, path: String) {
        var tree = try LayerFixtures.inlineTree()
        try tree.addFile("random", contents: LayerFixtures.bytes(count: randomBytes, seed: 5))
        try tree.addFile("text", text: String(repeating: "scan me ", count: 100_000))
        let (layer, store) = try await LayerFixtures.write(tree, options: Self.zstdOptions, in: scratch)
        return (layer, store.path(of: layer.descriptor.digest))
    }

    @Test func mediaTypesPickZstd() throws {
        #expect(MediaType.ociLayerZstd.isZstdLayer)
        #expect(MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd").isZstdLayer)
        #expect(!MediaType.ociLayerGzip.isZstdLayer)
        _ = try LayerScanner(mediaType: .ociLayerZstd)
        let error = #expect(throws: StevedoreError.self) { try LayerScanner(mediaType: "application/vnd.oci.image.layer.v1.tar+lz4") }
        #expect(error?.code == .unsupportedMediaType)
        #expect(error?.message.contains("gzip, zstd and uncompressed") == true)
    }

    @Test(arguments: [1, 7, 4096, 1 << 20])
    func chunkSizeDoesNotChangeTheReport(chunkSize: Int) async throws {
        let (layer, path) = try await writeZstdLayer(randomBytes: chunkSize == 1 ? 20_000 : 500_000)
        let report = try LayerScannerTests.scan(path, compression: .zstd, chunkSize: chunkSize)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.diffID == layer.diffID)
        #expect(report.uncompressedSize == layer.uncompressedSize)
        #expect(report.blobDigest == layer.descriptor.digest)
        #expect(report.entries.contains("usr/bin/app"))
    }

    @Test func layersWrittenByTheZstdToolAreRead() throws {
        let directory = try TemporaryDirectory("stevedore-zstd-tool")
        let archive = try LayerScannerTests.makeArchive(directory, tarArguments: "--format=pax")
        // Two frames, one per half of the tar, the second with the tool's own checksum setting: concatenated
        // frames are one stream (RFC 8878 §3.1).
        try LayerFixtures.shell("""
            cd '\(directory.path)' && split -n 2 -d layer.tar part && zstd -q -19 --no-check -c part00 > layer.tar.zst \
            && zstd -q -1 -c part01 >> layer.tar.zst
            """)
        let report = try LayerScannerTests.scan("\(archive).zst", compression: .zstd, chunkSize: 999)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.diffID.description == (try LayerScannerTests.sha256(archive)))
        #expect(report.entries.count == 5)
    }

    @Test(arguments: [0.1, 0.5, 0.99])
    func truncatedZstdIsReported(fraction: Double) async throws {
        let (layer, path) = try await writeZstdLayer()
        let cut = scratch.appending("cut.zst")
        let keep = Int(Double(layer.descriptor.size) * fraction)
        try LayerFixtures.shell("head -c \(keep) '\(path)' > '\(cut)'")
        let report = try LayerScannerTests.scan(cut, compression: .zstd)
        #expect(report.problems.map(\.kind) == [.truncatedZstd])
        #expect(report.problems.first?.message.contains("truncated") == true)
        #expect(report.diffID != layer.diffID)
    }

    @Test(arguments: [0.3, 0.6, 1.0])
    func corruptZstdIsReported(position: Double) async throws {
        let (layer, path) = try await writeZstdLayer()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        // Inside the data, or the last byte: the content checksum.
        bytes[min(bytes.count - 1, Int(Double(bytes.count) * position))] ^= 0x55
        let scanner = LayerScanner(compression: .zstd)
        try bytes.withUnsafeBytes { try scanner.consume($0) }
        let report = try scanner.finish()
        #expect(report.problems.contains { $0.kind == .corruptZstd }, "\(report.problems)")
        #expect(!report.isValid)
        _ = layer
    }

    @Test func bytesAfterTheFrameAreReported() async throws {
        let (_, path) = try await writeZstdLayer()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes += Array("trailing garbage".utf8)
        let scanner = LayerScanner(compression: .zstd)
        try bytes.withUnsafeBytes { try scanner.consume($0) }
        let report = try scanner.finish()
        #expect(report.problems.map(\.kind) == [.corruptZstd])
        #expect(report.problems.first?.message.contains("after the zstd frame") == true)
    }

    @Test func mislabelledBlobsAreReported() async throws {
        let (_, zstdPath) = try await writeZstdLayer()
        let asGzip = try LayerScannerTests.scan(zstdPath, compression: .gzip)
        #expect(asGzip.problems.map(\.kind) == [.mediaTypeMismatch])
        #expect(asGzip.problems.first?.message.contains("labelled gzip but is zstd") == true)
        let asTar = try LayerScannerTests.scan(zstdPath, compression: .none)
        #expect(asTar.problems.map(\.kind) == [.mediaTypeMismatch])
        #expect(asTar.problems.first?.message.contains("tar+zstd") == true)

        let (gzipLayer, store) = try await LayerFixtures.write(LayerFixtures.inlineTree(), in: scratch)
        let asZstd = try LayerScannerTests.scan(store.path(of: gzipLayer.descriptor.digest), compression: .zstd)
        #expect(asZstd.problems.map(\.kind) == [.mediaTypeMismatch])
        #expect(asZstd.problems.first?.message.contains("labelled zstd but is gzip") == true)
    }

    @Test func plainTarLabelledZstdIsReportedAndStillRead() throws {
        let directory = try TemporaryDirectory("stevedore-zstd-label")
        let archive = try LayerScannerTests.makeArchive(directory, tarArguments: "--format=pax")
        let report = try LayerScannerTests.scan(archive, compression: .zstd)
        #expect(report.problems.map(\.kind) == [.mediaTypeMismatch])
        #expect(report.problems[0].message.contains("labelled zstd but is a plain tar"))
        #expect(report.diffID.description == (try LayerScannerTests.sha256(archive)))
    }
}
