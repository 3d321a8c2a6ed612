import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore deploy kamal` takes its tag through the tag grammar, as every command does (issue 9, item 15).
@Suite(.dedicatedThread) struct DeployCommandTests {
    @Test("a tag that is not a tag never reaches the registry or Kamal's command line", arguments: ["../../etc", "-rm", "a b"])
    func invalidTagIsAUsageError(tag: String) throws {
        let result = try StevedoreBinary.run(["deploy", "kamal", "--dry-run", "--tag=\(tag)"])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("tag '\(tag)' must be 1 to 128"), "\(result.stderr)")
    }
}
