import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreLayout

struct BlobStoreTests {
    @Test func writesAndReadsBackASmallBlob() async throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let bytes = Data("hello, blobs".utf8)
        let (digest, size) = try store.write(bytes)
        #expect(digest == Digest.sha256(of: bytes))
        #expect(size == Int64(bytes.count))
        #expect(store.contains(digest))
        #expect(try await store.hasBlob(digest))
        #expect(store.size(of: digest) == size)
        #expect(store.path(for: digest) == "\(directory.path)/blobs/sha256/\(digest.encoded)")
        let read = try await store.readWhole(Descriptor(mediaType: .ociConfig, digest: digest, size: size))
        #expect(read == bytes)
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")) == [digest.encoded])
    }

    @Test func streamsALargeBlobInBoundedChunks() async throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let writer = try store.makeBlobWriter()
        var expected = DigestHasher()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for round in 0..<24 {
            for index in chunk.indices { chunk[index] = UInt8(truncatingIfNeeded: index &* 31 &+ round) }
            try chunk.withUnsafeBytes { try writer.write($0) }
            chunk.withUnsafeBytes { expected.update($0) }
        }
        let (digest, size) = try writer.commit(expected: (expected.finalize(), 24 << 20))
        #expect(digest == expected.finalize())
        #expect(size == 24 << 20)

        var readBack = DigestHasher()
        var largest = 0
        try await store.readBlob(Descriptor(mediaType: .ociLayer, digest: digest, size: size)) { piece in
            largest = max(largest, piece.count)
            readBack.update(piece)
        }
        #expect(readBack.finalize() == digest)
        #expect(readBack.count == size)
        #expect(largest <= 1 << 20)
    }

    @Test func commitWithTheWrongDigestStoresNothing() throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let writer = try store.makeBlobWriter()
        try Array("actual bytes".utf8).withUnsafeBytes { try writer.write($0) }
        let claimed = Digest.sha256(of: Array("other bytes".utf8))
        expectLayoutError(.digestMismatch, containing: [claimed.description, Digest.sha256(of: Array("actual bytes".utf8)).description, "nothing was stored"]) {
            try writer.commit(expected: (claimed, 12))
        }
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).isEmpty)
        #expect(!store.contains(claimed))
        // The writer is finished: it cannot be reused to sneak the bytes in.
        expectLayoutError(.io, containing: ["used after it finished"]) { try writer.commit(expected: nil) }
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).isEmpty)
    }

    @Test func commitWithTheWrongSizeStoresNothing() throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let bytes = Array("twelve bytes".utf8)
        let writer = try store.makeBlobWriter()
        try bytes.withUnsafeBytes { try writer.write($0) }
        expectLayoutError(.sizeMismatch, containing: ["is 12 bytes, expected 13", "nothing was stored"]) {
            try writer.commit(expected: (Digest.sha256(of: bytes), 13))
        }
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).isEmpty)
    }

    @Test func abortAndDroppingAWriterLeaveNoTemporaryFiles() throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let aborted = try store.makeBlobWriter()
        try Array("partial".utf8).withUnsafeBytes { try aborted.write($0) }
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).count == 1)
        aborted.abort()
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).isEmpty)
        expectLayoutError(.io) { try Array("more".utf8).withUnsafeBytes { try aborted.write($0) } }
        do {
            let dropped = try store.makeBlobWriter()
            try Array("partial".utf8).withUnsafeBytes { try dropped.write($0) }
        }
        #expect(FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256")).isEmpty)
    }

    @Test func readingAMissingBlobNamesIt() async throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let digest = Digest.sha256(of: Array("absent".utf8))
        #expect(!store.contains(digest))
        #expect(store.size(of: digest) == nil)
        do {
            _ = try await store.readWhole(Descriptor(mediaType: .ociLayerGzip, digest: digest, size: 6))
            Issue.record("read a missing blob")
        } catch let error as StevedoreError {
            #expect(error.code == .blobNotFound)
            #expect(error.message.contains(digest.description))
            #expect(error.message.contains(MediaType.ociLayerGzip.rawValue))
        }
    }

    @Test func manyWritersOfTheSameAndDifferentBlobsAtOnce() async throws {
        let directory = try TemporaryDirectory("blobstore")
        let shared = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let sharedDigest = Digest.sha256(of: shared)
        let results = try await withThrowingTaskGroup(of: Digest.self) { group in
            for task in 0..<24 {
                group.addTask {
                    // Each task opens its own store value, as separate builds would.
                    let store = try BlobStore(root: directory.path)
                    let data = task.isMultiple(of: 2) ? shared : Data("blob \(task)".utf8)
                    let writer = try store.makeBlobWriter()
                    var offset = 0
                    while offset < data.count {
                        let end = min(offset + 4096, data.count)
                        try data[offset..<end].withUnsafeBytes { try writer.write($0) }
                        offset = end
                    }
                    return try writer.commit(expected: (Digest.sha256(of: data), Int64(data.count))).digest
                }
            }
            var digests: [Digest] = []
            for try await digest in group { digests.append(digest) }
            return digests
        }
        #expect(results.count == 24)
        let names = FileManager.default.sortedNames(inDirectory: directory.appending("blobs/sha256"))
        #expect(names.count == 13) // 12 distinct small blobs + the shared one
        #expect(!names.contains { $0.hasPrefix(".") })
        let store = try BlobStore(root: directory.path)
        let read = try await store.readWhole(Descriptor(mediaType: .ociLayer, digest: sharedDigest, size: Int64(shared.count)))
        #expect(read == shared)
    }

    @Test func linksABlobFromAnotherStore() async throws {
        let first = try TemporaryDirectory("blobstore-a")
        let second = try TemporaryDirectory("blobstore-b")
        let source = try BlobStore(root: first.path)
        let target = try BlobStore(root: second.path)
        let (digest, size) = try source.write(Data("shared layer".utf8))
        try target.link(digest, from: source)
        try target.link(digest, from: source) // already there: no error
        #expect(target.size(of: digest) == size)
        let read = try await target.readWhole(Descriptor(mediaType: .ociLayer, digest: digest, size: size))
        #expect(read == Data("shared layer".utf8))
        let absent = Digest.sha256(of: Array("absent".utf8))
        expectLayoutError(.io, containing: [absent.encoded]) { try target.link(absent, from: source) }
        #expect(FileManager.default.sortedNames(inDirectory: second.appending("blobs/sha256")) == [digest.encoded])
    }

    @Test func creatingAStoreUnderAFileFailsClearly() throws {
        let directory = try TemporaryDirectory("blobstore")
        let file = try directory.write("plain-file", "not a directory")
        expectLayoutError(.io, containing: ["\(file)/sub/blobs/sha256: Not a directory (at \(file))"]) {
            try BlobStore(root: "\(file)/sub")
        }
    }
}

/// A blob is stored only under the digest it was verified against, of any accepted algorithm (issue 9, item 1).
struct BlobStoreDigestAlgorithmTests {
    @Test func aSHA512BlobIsVerifiedAndStoredUnderItsSHA512() throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let bytes = Data("sha512 content".utf8)
        let sha512 = try Digest(parsing: "sha512:" + String(repeating: "0", count: 128)).recomputed(for: bytes)
        let writer = try store.makeBlobWriter()
        try bytes.withUnsafeBytes { try writer.write($0) }
        let (digest, size) = try writer.commit(expected: (sha512, Int64(bytes.count)))
        #expect(digest == sha512)
        #expect(size == Int64(bytes.count))
        #expect(store.contains(sha512))
        #expect(!store.contains(Digest.sha256(of: bytes)))
    }

    @Test func aSHA512BlobWithOtherContentIsRefused() throws {
        let directory = try TemporaryDirectory("blobstore")
        let store = try BlobStore(root: directory.path)
        let expected = try Digest(parsing: "sha512:" + String(repeating: "0", count: 128)).recomputed(for: Data("good".utf8))
        let writer = try store.makeBlobWriter()
        try Data("evil".utf8).withUnsafeBytes { try writer.write($0) }
        #expect(throws: StevedoreError.self) { try writer.commit(expected: (expected, 4)) }
        #expect(!store.contains(expected))
        #expect(!store.contains(Digest.sha256(of: Data("evil".utf8))))
    }
}
