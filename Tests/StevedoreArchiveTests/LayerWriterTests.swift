import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreArchive

@Suite(.dedicatedThread) struct LayerWriterTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("stevedore-archive-test") }

    // Pinned once from the first run: any change in tar headers, ordering or compression shows up here.
    static let goldenDigest = "sha256:04475dac9757ce05e0383304a2e5cdfe7c37831f4d88a061c066252a0f7c08a0"
    static let goldenDiffID = "sha256:442f619453cdba42ce6ecd379b59e6c1d04c4bf70f400c699dfd28fb24c67b05"

    @Test func inlineTreeHasThePinnedDigest() async throws {
        let (layer, _) = try await LayerFixtures.write(LayerFixtures.inlineTree(), options: LayerOptions(modificationTime: 1_700_000_000), in: scratch)
        #expect(layer.descriptor.mediaType == .ociLayerGzip)
        #expect(layer.descriptor.digest.description == Self.goldenDigest)
        #expect(layer.diffID.description == Self.goldenDiffID)
    }

    @Test(arguments: [1, 2, 8])
    func threadCountDoesNotChangeTheBytes(threads: Int) async throws {
        var tree = try LayerFixtures.inlineTree()
        try tree.addFile("big/random", contents: LayerFixtures.bytes(count: 3_000_000, seed: 3))
        try tree.addFile("big/text", text: String(repeating: "layer block boundary ", count: 200_000))
        let (reference, _) = try await LayerFixtures.write(tree, options: LayerOptions(threads: 1), in: scratch)
        let (layer, store) = try await LayerFixtures.write(tree, options: LayerOptions(threads: threads), in: scratch)
        #expect(layer == reference)
        #expect(reference.uncompressedSize > 7_000_000)
        let blob = store.path(of: layer.descriptor.digest)
        try LayerFixtures.shell("gzip -t '\(blob)'")
        #expect(try LayerFixtures.shell("gunzip -c '\(blob)' | sha256sum").hasPrefix(layer.diffID.encoded))
        #expect(try LayerFixtures.shell("gunzip -c '\(blob)' | wc -c").trimmingCharacters(in: .whitespacesAndNewlines) == String(layer.uncompressedSize))
    }

    @Test func hostMetadataDoesNotChangeTheBytes() async throws {
        let first = try TemporaryDirectory("stevedore-host-a")
        let second = try TemporaryDirectory("stevedore-host-b")
        let firstRoot = first.appending("src")
        let secondRoot = second.appending("deeper/other-name")
        try LayerFixtures.makeHostDirectory(at: firstRoot)
        // The modes a umask of 077 gives, set explicitly: umask() is process-wide, and parallel tests share it.
        try LayerFixtures.makeHostDirectory(at: secondRoot, fileMode: 0o600, directoryMode: 0o700)
        for directory in [second.appending("deeper"), secondRoot] { chmod(directory, 0o700) }
        // Different owners, access and modification times on the second copy.
        try LayerFixtures.shell("chown -R -h 1234:5678 '\(secondRoot)' && find '\(secondRoot)' -exec touch -h -d '2001-02-03 04:05:06' {} + && touch -a -d '1999-01-01' '\(secondRoot)/lib/data.bin'")
        var firstTree = FileTree()
        try firstTree.addDirectoryContents(hostPath: firstRoot, at: "opt/app")
        var secondTree = FileTree()
        try secondTree.addDirectoryContents(hostPath: secondRoot + "/", at: "/opt/app/")
        #expect(firstTree.entries.map(\.path) == secondTree.entries.map(\.path))
        let (firstLayer, _) = try await LayerFixtures.write(firstTree, in: scratch)
        let (secondLayer, _) = try await LayerFixtures.write(secondTree, in: scratch)
        #expect(firstLayer == secondLayer)
    }

    @Test func directoryListingOrderDoesNotChangeTheBytes() async throws {
        // The same names created in opposite orders give different readdir orders on most filesystems.
        let first = try TemporaryDirectory("stevedore-order-a")
        let second = try TemporaryDirectory("stevedore-order-b")
        let names = (0..<200).map { "file-\(($0 * 7919) % 1000)" }
        for name in names { try first.write("d/\(name)", name) }
        for name in names.reversed() { try second.write("d/\(name)", name) }
        var firstTree = FileTree()
        try firstTree.addDirectoryContents(hostPath: first.path, at: "")
        var secondTree = FileTree()
        try secondTree.addDirectoryContents(hostPath: second.path, at: "")
        let (firstLayer, _) = try await LayerFixtures.write(firstTree, in: scratch)
        let (secondLayer, _) = try await LayerFixtures.write(secondTree, in: scratch)
        #expect(firstLayer.descriptor.digest == secondLayer.descriptor.digest)
    }

    @Test func toolsListAndExtractWhatWasWritten() async throws {
        let host = try TemporaryDirectory("stevedore-tools")
        try LayerFixtures.makeHostDirectory(at: host.appending("src"))
        var tree = FileTree()
        try tree.addDirectoryContents(hostPath: host.appending("src"), at: "app")
        try tree.addDirectory("tmp", mode: 0o1777)
        try tree.addFile("etc/passwd", text: "root:x:0:0::/root:/bin/sh\n", owner: FileOwner(uid: 0, gid: 42, userName: "root", groupName: "shadow"))
        let (layer, store) = try await LayerFixtures.write(tree, in: scratch)
        let blob = store.path(of: layer.descriptor.digest)

        let listed = try LayerFixtures.shell("tar --quoting-style=literal -tzf '\(blob)'").split(separator: "\n").map(String.init)
        let report = try await LayerReader().read(layer.descriptor, from: store)
        #expect(report.problems.isEmpty)
        #expect(report.diffID == layer.diffID)
        #expect(report.entries == listed)
        #expect(listed.count == tree.count)

        let verbose = try LayerFixtures.shell("tar --quoting-style=literal -tvzf '\(blob)'").split(separator: "\n")
        func line(endingWith suffix: String) -> String {
            verbose.first { $0.hasSuffix(suffix) }.map(String.init) ?? "(no line ending with \(suffix))"
        }
        #expect(line(endingWith: " tmp/").hasPrefix("drwxrwxrwt 0/0 "))
        #expect(line(endingWith: " app/bin/tool").hasPrefix("-rwxr-xr-x 0/0 "))
        #expect(line(endingWith: " app/bin/tool").contains(" 20 1970-01-01 00:00 "))
        #expect(line(endingWith: " app/lib/empty").hasPrefix("-rw-r--r-- 0/0 "))
        #expect(line(endingWith: " etc/passwd").hasPrefix("-rw-r--r-- root/shadow "))
        #expect(line(endingWith: " app/lib/sub/data-link -> ../data.bin").hasPrefix("lrwxrwxrwx 0/0 "))
        #expect(line(endingWith: " app/lib/z-hard link to app/bin/a-hard").hasPrefix("hrw-r--r-- 0/0 "))
        #expect(line(endingWith: " app/naïve-日本語.txt").hasPrefix("-rw-r--r-- 0/0 "))

        for (label, command) in [("gnu", "tar -xzf '\(blob)' -C"), ("busybox", "busybox tar -xzf '\(blob)' -C")] {
            let out = scratch.appending("extract-\(label)")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try LayerFixtures.shell("\(command) '\(out)'")
            let long = "\(LayerFixtures.name("d", 120))/\(LayerFixtures.name("f", 150))"
            for relative in ["bin/tool", "lib/data.bin", "lib/sub/notes.txt", "lib/empty", long, "naïve-日本語.txt"] {
                let original = try Data(contentsOf: URL(fileURLWithPath: host.appending("src/\(relative)")))
                let extracted = try Data(contentsOf: URL(fileURLWithPath: "\(out)/app/\(relative)"))
                #expect(original == extracted, "\(label): \(relative)")
            }
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(out)/app/lib/sub/data-link") == "../data.bin", "\(label)")
            var toolStatus = stat()
            var dataStatus = stat()
            var hardStatus = stat()
            var tmpStatus = stat()
            stat("\(out)/app/bin/tool", &toolStatus)
            stat("\(out)/app/lib/data.bin", &dataStatus)
            stat("\(out)/app/lib/z-hard", &hardStatus)
            stat("\(out)/tmp", &tmpStatus)
            #expect(toolStatus.st_mode & 0o7777 == 0o755, "\(label)")
            #expect(dataStatus.st_mode & 0o7777 == 0o644, "\(label)")
            #expect(dataStatus.st_ino == hardStatus.st_ino, "\(label): hard link")
            #expect(tmpStatus.st_mode & 0o7777 == 0o1777, "\(label)")
        }
    }

    @Test func missingHostFileFailsAndLeavesNoBlob() async throws {
        var tree = FileTree()
        try tree.addFile("app", hostPath: "/nonexistent/stevedore/app")
        let directory = try TemporaryDirectory("stevedore-missing")
        let store = try FileBlobSink(directory: directory.appending("blobs"))
        let error = await #expect(throws: StevedoreError.self) {
            try await LayerWriter().write(tree, to: store)
        }
        #expect(error?.code == .unreadableFile)
        #expect(error?.message.contains("/nonexistent/stevedore/app") == true)
        #expect(error?.message.contains("No such file or directory") == true)
        #expect(try store.storedFiles() == [])
    }

    @Test func fileGrowingWhileReadFails() async throws {
        // /proc files report size 0 but have content: exactly what a file growing under us looks like.
        var tree = FileTree()
        try tree.addFile("status", hostPath: "/proc/self/status")
        let directory = try TemporaryDirectory("stevedore-grow")
        let store = try FileBlobSink(directory: directory.appending("blobs"))
        let error = await #expect(throws: StevedoreError.self) {
            try await LayerWriter().write(tree, to: store)
        }
        #expect(error?.code == .fileChangedWhileReading)
        #expect(try store.storedFiles() == [])
    }

    @Test(arguments: [
        LayerOptions(compression: .gzip(level: 0)),
        LayerOptions(compression: .gzip(level: 10)),
        LayerOptions(threads: 0),
        LayerOptions(blockSize: 1024),
        LayerOptions(modificationTime: -1),
    ])
    func optionsOutOfRangeAreRejected(options: LayerOptions) async throws {
        let directory = try TemporaryDirectory("stevedore-options")
        let store = try FileBlobSink(directory: directory.appending("blobs"))
        let error = await #expect(throws: StevedoreError.self) {
            try await LayerWriter(options: options).write(FileTree(), to: store)
        }
        #expect(error?.code == .invalidOptions)
    }

    @Test func cancellingStopsTheWorkAndCommitsNothing() async throws {
        try LayerFixtures.shell("truncate -s 2G '\(scratch.appending("big"))'")
        var tree = FileTree()
        try tree.addFile("big", hostPath: scratch.appending("big"))
        let store = try FileBlobSink(directory: scratch.appending("blobs"))
        let task = Task { try await LayerWriter(options: LayerOptions(threads: 2)).write(tree, to: store) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let error = await #expect(throws: StevedoreError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(try store.storedFiles() == [])
    }

    /// A sink whose writes fail after `limit` bytes, recording whether the blob was aborted.
    final class FailingSink: BlobSink, @unchecked Sendable {
        final class Writer: BlobWriter {
            let sink: FailingSink
            var written = 0
            init(sink: FailingSink) { self.sink = sink }
            func write(_ bytes: UnsafeRawBufferPointer) throws {
                written += bytes.count
                if written > sink.limit { throw StevedoreError(.sizeMismatch, "disk full") }
            }
            func commit(expected: (digest: Digest, size: Int64)?) throws -> (digest: Digest, size: Int64) {
                sink.committed = true
                return (Digest.sha256(of: []), Int64(written))
            }
            func abort() { sink.aborted = true }
        }
        let limit: Int
        var aborted = false
        var committed = false
        init(limit: Int) { self.limit = limit }
        func makeBlobWriter() throws -> any BlobWriter { Writer(sink: self) }
    }

    @Test func sinkFailureAbortsTheBlob() async throws {
        var tree = FileTree()
        try tree.addFile("random", contents: LayerFixtures.bytes(count: 4_000_000, seed: 1))
        let sink = FailingSink(limit: 1_000_000)
        let error = await #expect(throws: StevedoreError.self) { try await LayerWriter().write(tree, to: sink) }
        #expect(error?.code == .sinkFailure)
        #expect(error?.message.contains("disk full") == true)
        #expect(sink.aborted)
        #expect(!sink.committed)
    }

    @Test func emptyTreeIsAValidLayer() async throws {
        let (layer, store) = try await LayerFixtures.write(FileTree(), in: scratch)
        #expect(layer.uncompressedSize == 1024)
        try LayerFixtures.shell("gzip -t '\(store.path(of: layer.descriptor.digest))'")
    }

    @Test func sourceDateEpochSetsTheModificationTime() async throws {
        let options = try LayerOptions.fromEnvironment(["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(options.modificationTime == 1_700_000_000)
        #expect(throws: StevedoreError.self) { try LayerOptions.fromEnvironment(["SOURCE_DATE_EPOCH": "yesterday"]) }
        var tree = FileTree()
        try tree.addFile("a", text: "a")
        let (layer, store) = try await LayerFixtures.write(tree, options: options, in: scratch)
        let listing = try LayerFixtures.shell("TZ=UTC tar -tvzf '\(store.path(of: layer.descriptor.digest))'")
        #expect(listing.contains("2023-11-14 22:13 a"))
    }

    @Test func headersOfFilesAbove8GiBAreReproducible() throws {
        // Only the headers matter here: stop after the first 64 KiB the tar writer hands out.
        let directory = try TemporaryDirectory("stevedore-8g")
        let path = directory.appending("huge")
        try LayerFixtures.shell("truncate -s 9G '\(path)'")
        struct Enough: Error {}
        func headerBytes() throws -> [UInt8] {
            var captured: [UInt8] = []
            let writer = try TarStreamWriter(modificationTime: 0) { bytes in
                captured.append(contentsOf: bytes)
                throw Enough()
            }
            #expect(throws: Enough.self) { try writer.write(FileTreeEntry(path: "data/huge", kind: .regularFile(.hostFile(path: path)), mode: 0o644)) }
            return captured
        }
        let first = try headerBytes()
        let second = try headerBytes()
        #expect(first == second)
        #expect(first.count >= 1536)
        let text = String(decoding: first.prefix(1536), as: UTF8.self)
        #expect(text.contains("size=9663676416\n"))
        #expect(text.contains("data/PaxHeader/huge"))
    }

    @Test(.disabled(if: ProcessInfo.processInfo.environment["STEVEDORE_SKIP_HUGE"] == "1", "STEVEDORE_SKIP_HUGE=1"))
    func sparseFileAbove4GiBStreams() async throws {
        let host = try TemporaryDirectory("stevedore-4g")
        let size: Int64 = 4_831_838_208  // 4.5 GiB
        try LayerFixtures.shell("truncate -s \(size) '\(host.appending("sparse"))' && printf end >> '\(host.appending("sparse"))'")
        var tree = FileTree()
        try tree.addFile("data/sparse", hostPath: host.appending("sparse"))
        let (layer, store) = try await LayerFixtures.write(tree, in: scratch)
        #expect(layer.uncompressedSize == 512 + 512 + ((size + 3 + 511) / 512) * 512 + 1024)
        let report = try await LayerReader().read(layer.descriptor, from: store)
        #expect(report.problems.isEmpty)
        #expect(report.diffID == layer.diffID)
        #expect(report.entries == ["data/", "data/sparse"])
        let listing = try LayerFixtures.shell("tar -tvzf '\(store.path(of: layer.descriptor.digest))'")
        #expect(listing.contains(" \(size + 3) 1970-01-01 00:00 data/sparse"))
        // That it streams in bounded memory is measured on a `stevedore build` process of its own
        // (BuildMemoryTests): this test process is shared with every parallel test.
    }
}
