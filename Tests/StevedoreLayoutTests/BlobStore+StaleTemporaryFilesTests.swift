import Foundation
import StevedoreTestSupport
import Testing
@testable import StevedoreLayout

/// Issue 9, item 18: temporary files that a killed build left in a blob store go on the next write to it, while
/// live writers' files stay.
@Suite(.dedicatedThread) struct BlobStoreStaleTemporaryFilesTests {
    static func makeFile(_ path: String, age: TimeInterval) throws {
        #expect(FileManager.default.createFile(atPath: path, contents: Data("partial".utf8)))
        try setAge(path, age)
    }

    static func setAge(_ path: String, _ age: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -age)], ofItemAtPath: path)
    }

    @Test func staleFilesGoAndLiveWritersFilesStay() throws {
        let directory = try TemporaryDirectory("blobstore-stale")
        let store = try BlobStore(root: directory.path)
        let blobs = directory.appending("blobs/sha256")
        let live = try store.makeBlobWriter()
        try Array("live".utf8).withUnsafeBytes { try live.write($0) }
        let liveName = try #require(FileManager.default.sortedNames(inDirectory: blobs).first)
        try Self.setAge("\(blobs)/\(liveName)", 3600)
        let hung = try store.makeBlobWriter()
        let hungName = try #require(FileManager.default.sortedNames(inDirectory: blobs).first { $0 != liveName })
        try Self.setAge("\(blobs)/\(hungName)", 2 * 86400)
        try Self.makeFile("\(blobs)/.tmp-killed", age: 3600)
        try Self.makeFile("\(blobs)/.tmp-just-created", age: 0)
        try Self.makeFile("\(blobs)/not-temporary", age: 3 * 86400)

        let removed = store.removeStaleTemporaryFiles().sorted()
        #expect(removed == [".tmp-killed", hungName].sorted())
        #expect(FileManager.default.sortedNames(inDirectory: blobs) == [".tmp-just-created", liveName, "not-temporary"].sorted())
        let written = try live.commit(expected: nil)
        #expect(store.contains(written.digest))
        hung.abort()
    }

    @Test func theNextWriteToTheStoreRemovesThem() throws {
        let directory = try TemporaryDirectory("blobstore-stale-write")
        let blobs = directory.appending("blobs/sha256")
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        try Self.makeFile("\(blobs)/.tmp-killed-build", age: 600)
        let store = try BlobStore(root: directory.path)
        let written = try store.write(Data("config".utf8))
        #expect(FileManager.default.sortedNames(inDirectory: blobs) == [written.digest.encoded])
    }
}
