import Foundation
import StevedoreArchive
import StevedoreCache
import StevedoreCore
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct FileDigestRecordsTests {
    static let farFuture = Int64(Date().timeIntervalSince1970 + 3600) * 1_000_000_000

    @Test func aFileWhoseIdentityMatchesItsRecordIsNotRead() async throws {
        let work = try TemporaryDirectory("digests-skip")
        let path = try work.write("file", "real content\n")
        // A record that is deliberately wrong: if the hasher trusts it, it did not read the file.
        let planted = LayerCacheKey.FileContent(size: 13, digest: Digest.sha256(of: Array("planted".utf8)))
        var records = FileDigestRecords()
        records.record(path, identity: try FileIdentity(path: path), content: planted, hashedAt: Self.farFuture)
        let result = try await FileContentHasher(threads: 2).hash([path], records: &records)
        #expect(result.filesRead == 0)
        #expect(result.contents[path] == planted)
    }

    @Test func aChangedFileIsReadAgain() async throws {
        let work = try TemporaryDirectory("digests-changed")
        let path = try work.write("file", "one\n")
        var records = FileDigestRecords()
        records.record(path, identity: try FileIdentity(path: path), content: .init(size: 4, digest: Digest.sha256(of: Array("one\n".utf8))), hashedAt: Self.farFuture)
        _ = try work.write("file", "two\n")
        let result = try await FileContentHasher(threads: 2).hash([path], records: &records)
        #expect(result.filesRead == 1)
        #expect(result.contents[path]?.digest == Digest.sha256(of: Array("two\n".utf8)))
    }

    /// A file changed just before it was hashed could change again within the same clock tick without its times
    /// moving: it is not recorded.
    @Test func aFileChangedJustBeforeHashingIsNotRecorded() async throws {
        let work = try TemporaryDirectory("digests-racy")
        let path = try work.write("file", "fresh\n")
        var records = FileDigestRecords()
        let result = try await FileContentHasher().hash([path], records: &records)
        #expect(result.filesRead == 1)
        #expect(records.records[path] == nil)
    }

    @Test func manyFilesAreHashedCorrectlyOnSeveralThreads() async throws {
        let work = try TemporaryDirectory("digests-many")
        var paths: [String] = []
        for index in 0..<64 { paths.append(try work.write("f\(index)", String(repeating: "\(index)", count: index * 1000))) }
        var records = FileDigestRecords()
        let result = try await FileContentHasher(threads: 4).hash(paths, records: &records)
        for (index, path) in paths.enumerated() {
            let bytes = Array(String(repeating: "\(index)", count: index * 1000).utf8)
            #expect(result.contents[path] == .init(size: Int64(bytes.count), digest: Digest.sha256(of: bytes)))
        }
    }

    @Test func anUnreadableFileIsNamed() async throws {
        var records = FileDigestRecords()
        let error = await #expect(throws: StevedoreError.self) {
            try await FileContentHasher().hash(["/nonexistent/stevedore-file"], records: &records)
        }
        #expect(error?.code == .unreadableFile)
        #expect(error?.message.contains("/nonexistent/stevedore-file") == true)
    }

    @Test func recordsSurviveTheirFile() throws {
        let work = try TemporaryDirectory("digests-file")
        let path = try work.write("name with spaces", "x\n")
        var records = FileDigestRecords()
        let identity = try FileIdentity(path: path)
        let content = LayerCacheKey.FileContent(size: 2, digest: Digest.sha256(of: Array("x\n".utf8)))
        records.record(path, identity: identity, content: content, hashedAt: Self.farFuture)
        try records.write(to: work.appending("cache/file-digests"))
        let read = FileDigestRecords(contentsOf: work.appending("cache/file-digests"))
        #expect(read.content(of: path, identity: identity) == content)
        #expect(FileDigestRecords(contentsOf: work.appending("missing")).records.isEmpty)
    }
}
