import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreArchive

@Suite(.dedicatedThread) struct LayerScannerTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("stevedore-archive-test") }

    /// Scans a file in chunks of `chunkSize`.
    static func scan(_ path: String, compression: LayerScanner.Compression, chunkSize: Int = 65536) throws -> LayerReport {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let scanner = LayerScanner(compression: compression)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            try bytes[offset..<end].withUnsafeBytes { try scanner.consume($0) }
            offset = end
        }
        return try scanner.finish()
    }

    static func sha256(_ path: String) throws -> String {
        "sha256:" + String(try LayerFixtures.shell("sha256sum '\(path)'").prefix(64))
    }

    /// A directory with a few files, and tar archives made of it by GNU tar.
    static func makeArchive(_ directory: TemporaryDirectory, tarArguments: String) throws -> String {
        try directory.write("src/a.txt", "a")
        try directory.write("src/sub/b.txt", String(repeating: "b", count: 5000))
        try directory.write("src/\(LayerFixtures.name("x", 110))/\(LayerFixtures.name("y", 160))", "long")
        let archive = directory.appending("layer.tar")
        try LayerFixtures.shell("cd '\(directory.appending("src"))' && tar \(tarArguments) -cf '\(archive)' a.txt sub \(LayerFixtures.name("x", 110))")
        return archive
    }

    @Test(arguments: [1, 7, 512, 4096, 1 << 20])
    func chunkSizeDoesNotChangeTheReport(chunkSize: Int) async throws {
        let (layer, store) = try await LayerFixtures.write(LayerFixtures.inlineTree(), in: scratch)
        let report = try Self.scan(store.path(of: layer.descriptor.digest), compression: .gzip, chunkSize: chunkSize)
        #expect(report.problems.isEmpty)
        #expect(report.diffID == layer.diffID)
        #expect(report.uncompressedSize == layer.uncompressedSize)
        #expect(report.blobDigest == layer.descriptor.digest)
        #expect(report.entries.count == (try LayerFixtures.inlineTree()).count)
    }

    @Test(arguments: ["--format=gnu", "--format=pax", "--format=ustar", "--format=posix --sort=name"])
    func readsWhatGNUTarWrites(format: String) throws {
        let directory = try TemporaryDirectory("stevedore-gnutar")
        let archive: String
        if format == "--format=ustar" {
            // ustar cannot hold a 160-character file name; keep to what it can.
            try directory.write("src/a.txt", "a")
            try directory.write("src/sub/b.txt", "b")
            archive = directory.appending("layer.tar")
            try LayerFixtures.shell("cd '\(directory.appending("src"))' && tar \(format) -cf '\(archive)' a.txt sub")
        } else {
            archive = try Self.makeArchive(directory, tarArguments: format)
        }
        let listed = try LayerFixtures.shell("tar --quoting-style=literal -tf '\(archive)'").split(separator: "\n").map(String.init)
        let plain = try Self.scan(archive, compression: .none)
        #expect(plain.problems.isEmpty)
        #expect(plain.entries == listed)
        #expect(plain.diffID.description == (try Self.sha256(archive)))

        for compressor in ["gzip -n -6", "pigz -p 2"] {
            try LayerFixtures.shell("\(compressor) -c '\(archive)' > '\(archive).gz'")
            let compressed = try Self.scan("\(archive).gz", compression: .gzip)
            #expect(compressed.problems.isEmpty, "\(compressor)")
            #expect(compressed.entries == listed)
            #expect(compressed.diffID == plain.diffID)
            #expect(compressed.blobDigest.description == (try Self.sha256("\(archive).gz")))
        }
    }

    @Test func multiMemberGzipIsOneStream() throws {
        let directory = try TemporaryDirectory("stevedore-members")
        let archive = try Self.makeArchive(directory, tarArguments: "--format=pax")
        try LayerFixtures.shell("cd '\(directory.path)' && head -c 3000 layer.tar | gzip -n > two.gz && tail -c +3001 layer.tar | gzip -n >> two.gz")
        let report = try Self.scan(directory.appending("two.gz"), compression: .gzip, chunkSize: 100)
        #expect(report.problems.isEmpty)
        #expect(report.diffID.description == (try Self.sha256(archive)))
    }

    @Test func duplicateAbsoluteAndParentPathsAreReported() throws {
        let directory = try TemporaryDirectory("stevedore-bad")
        try directory.write("work/src/a.txt", "a")
        try directory.write("outside.txt", "o")
        let archive = directory.appending("bad.tar")
        try LayerFixtures.shell("cd '\(directory.appending("work"))' && tar -P -cf '\(archive)' src/a.txt ./src/a.txt '\(directory.appending("outside.txt"))' ../outside.txt")
        let report = try Self.scan(archive, compression: .none)
        let kinds = report.problems.map(\.kind)
        // GNU tar stores the repeated files as hard links; the last one also links to an absolute path.
        #expect(kinds == [.duplicatePath, .absolutePath, .parentTraversal, .parentTraversal])
        #expect(report.problems[3].message.contains("hard link"))
        #expect(report.problems[0].path == "./src/a.txt")
        #expect(report.problems[1].path == directory.appending("outside.txt"))
        #expect(report.problems[2].path == "../outside.txt")
        #expect(report.entries.count == 4)
    }

    @Test func plainTarLabelledGzipIsReportedAndStillRead() throws {
        let directory = try TemporaryDirectory("stevedore-label")
        let archive = try Self.makeArchive(directory, tarArguments: "--format=pax")
        let report = try Self.scan(archive, compression: .gzip)
        #expect(report.problems.map(\.kind) == [.mediaTypeMismatch])
        #expect(report.problems[0].message.contains("plain tar"))
        #expect(report.diffID.description == (try Self.sha256(archive)))
        #expect(report.entries.count == 5)
    }

    @Test func gzipLabelledPlainIsReported() throws {
        let directory = try TemporaryDirectory("stevedore-label2")
        let archive = try Self.makeArchive(directory, tarArguments: "")
        try LayerFixtures.shell("gzip -n '\(archive)'")
        let report = try Self.scan("\(archive).gz", compression: .none)
        #expect(report.problems.map(\.kind) == [.mediaTypeMismatch])
    }

    @Test(arguments: [0.1, 0.5, 0.99])
    func truncatedGzipIsReported(fraction: Double) async throws {
        var tree = try LayerFixtures.inlineTree()
        try tree.addFile("random", contents: LayerFixtures.bytes(count: 500_000, seed: 5))
        let (layer, store) = try await LayerFixtures.write(tree, in: scratch)
        let cut = scratch.appending("cut.gz")
        let keep = Int(Double(layer.descriptor.size) * fraction)
        try LayerFixtures.shell("head -c \(keep) '\(store.path(of: layer.descriptor.digest))' > '\(cut)'")
        let report = try Self.scan(cut, compression: .gzip)
        #expect(report.problems.map(\.kind) == [.truncatedGzip])
        #expect(report.diffID != layer.diffID)
    }

    @Test func corruptGzipIsReported() async throws {
        var tree = FileTree()
        try tree.addFile("random", contents: LayerFixtures.bytes(count: 200_000, seed: 9))
        let (layer, store) = try await LayerFixtures.write(tree, in: scratch)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: store.path(of: layer.descriptor.digest))))
        bytes[bytes.count / 2] ^= 0xff
        let scanner = LayerScanner(compression: .gzip)
        try bytes.withUnsafeBytes { try scanner.consume($0) }
        let report = try scanner.finish()
        #expect(report.problems.contains { $0.kind == .corruptGzip })
    }

    @Test func corruptTarHeaderIsReported() throws {
        let directory = try TemporaryDirectory("stevedore-corrupt")
        let archive = try Self.makeArchive(directory, tarArguments: "--format=pax")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: archive)))
        bytes[0] ^= 0x20  // first header's name: the checksum no longer matches
        let scanner = LayerScanner(compression: .none)
        try bytes.withUnsafeBytes { try scanner.consume($0) }
        let report = try scanner.finish()
        #expect(report.problems.map(\.kind) == [.corruptTar])
        #expect(report.problems[0].message.contains("checksum"))
    }

    /// Go's tar writer leaves no end-of-archive blocks (nor the last entry's padding) when it is not closed, as in
    /// umoci's layers; umoci, Go readers and runtimes accept such a stream, so the scanner does too.
    @Test(arguments: [1024, 513])
    func tarWithoutEndBlocksIsAccepted(length: Int) throws {
        let directory = try TemporaryDirectory("stevedore-cut")
        try directory.write("a", "a")
        try LayerFixtures.shell("cd '\(directory.path)' && tar --format=ustar -cf full.tar a && head -c \(length) full.tar > cut.tar")
        let report = try Self.scan(directory.appending("cut.tar"), compression: .none)
        #expect(report.entries == ["a"])
        #expect(report.problems.isEmpty)
    }

    @Test func tarCutInsideAnEntrysDataIsReported() throws {
        let directory = try TemporaryDirectory("stevedore-cut-data")
        try directory.write("a", String(repeating: "a", count: 2000))
        try LayerFixtures.shell("cd '\(directory.path)' && tar --format=ustar -cf full.tar a && head -c 1500 full.tar > cut.tar")
        let report = try Self.scan(directory.appending("cut.tar"), compression: .none)
        #expect(report.entries == ["a"])
        #expect(report.problems.map(\.kind) == [.corruptTar])
        #expect(report.problems.first?.message.contains("truncated") == true)
    }

    @Test func otherCompressionsAreNotSupported() {
        let error = #expect(throws: StevedoreError.self) { try LayerScanner(mediaType: "application/vnd.oci.image.layer.v1.tar+bzip2") }
        #expect(error?.code == .unsupportedMediaType)
    }

    @Test(arguments: [("0000644\0", Int64(0o644)), ("       \0", 0), ("12345670123", 0o12345670123)])
    func octalNumbersParse(text: String, expected: Int64) {
        #expect(TarEntryScanner.parseNumber(ArraySlice(Array(text.utf8))) == expected)
    }

    @Test func base256NumbersParse() {
        let bytes: [UInt8] = [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x40, 0x00]
        #expect(TarEntryScanner.parseNumber(ArraySlice(bytes)) == 0x024000)
    }
}
