import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct PushedImageRecordTests {
    @Test func theLineRoundTrips() throws {
        let line = "ghcr.io/owner/hello:\(DeployFixture.sha)@\(DeployFixture.digest)\n"
        let record = try PushedImageRecord(parsing: line)
        #expect(record.reference == ImageReference(registry: "ghcr.io", repository: "owner/hello", tag: DeployFixture.sha))
        #expect(record.digest == DeployFixture.digest)
        #expect(record.line == line)
    }

    @Test(arguments: [
        "ghcr.io/owner/hello:tag",
        "ghcr.io/owner/hello@\(DeployFixture.digest)",
        "ghcr.io/owner/hello:a@\(DeployFixture.digest)\nghcr.io/owner/hello:b@\(DeployFixture.digest)",
    ])
    func aRecordNeedsOneReferenceWithTagAndDigest(text: String) {
        #expect(throws: StevedoreError.self) { try PushedImageRecord(parsing: text) }
    }

    @Test func readingAMissingFileGivesNil() throws {
        let directory = try TemporaryDirectory()
        #expect(try PushedImageRecord.read(packageDirectory: directory.path) == nil)
        try directory.write(PushedImageRecord.defaultPath, "ghcr.io/owner/hello:t@\(DeployFixture.digest)\n")
        #expect(try PushedImageRecord.read(packageDirectory: directory.path)?.reference.tag == "t")
    }
}
