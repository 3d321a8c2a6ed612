import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct DeployTagTests {
    private let record = PushedImageRecord(
        reference: ImageReference(registry: "ghcr.io", repository: "owner/hello", tag: "from-record"),
        digest: DeployFixture.digest
    )

    @Test func theOptionWinsThenGitHubSHA() throws {
        let directory = try TemporaryDirectory()
        #expect(try DeployTag.resolve(explicit: "v1", environment: ["GITHUB_SHA": DeployFixture.sha], packageDirectory: directory.path, record: record) == DeployTag("v1", source: .option))
        #expect(try DeployTag.resolve(explicit: nil, environment: ["GITHUB_SHA": DeployFixture.sha], packageDirectory: directory.path, record: record) == DeployTag(DeployFixture.sha, source: .githubSHA))
    }

    @Test func withoutGitHubSHAItIsTheGitHead() throws {
        let directory = try TemporaryDirectory()
        try ProcessRunner.run(["git", "-C", directory.path, "init", "-q"])
        try ProcessRunner.run(["git", "-C", directory.path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "x"])
        let head = try ProcessRunner.run(["git", "-C", directory.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .newlines)
        #expect(head.count == 40)
        #expect(try DeployTag.resolve(explicit: nil, environment: [:], packageDirectory: directory.path, record: record) == DeployTag(head, source: .git))
        // GITHUB_SHA counts only as a full SHA, as for push-image.
        #expect(try DeployTag.resolve(explicit: nil, environment: ["GITHUB_SHA": "main"], packageDirectory: directory.path, record: nil) == DeployTag(head, source: .git))
        #expect(try DeployTag.resolve(explicit: nil, environment: ["GITHUB_SHA": DeployFixture.sha.uppercased()], packageDirectory: directory.path, record: nil) == DeployTag(DeployFixture.sha, source: .githubSHA))
    }

    @Test func aDirtyWorkTreeDeploysTheDirtyTagPushImagePushed() throws {
        let directory = try TemporaryDirectory()
        try ProcessRunner.run(["git", "-C", directory.path, "init", "-q"])
        try directory.write("config/deploy.yml", DeployFixture.deployYAML)
        try ProcessRunner.run(["git", "-C", directory.path, "add", "-A"])
        try ProcessRunner.run(["git", "-C", directory.path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "x"])
        let head = try ProcessRunner.run(["git", "-C", directory.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .newlines)
        // Untracked files do not count, as for `git describe --dirty`; a changed tracked file does.
        try directory.write(".build/debug/hello", "binary")
        #expect(try DeployTag.resolve(explicit: nil, environment: [:], packageDirectory: directory.path, record: nil) == DeployTag(head, source: .git))
        try directory.write("config/deploy.yml", DeployFixture.deployYAML + "\n# changed\n")
        #expect(try DeployTag.resolve(explicit: nil, environment: [:], packageDirectory: directory.path, record: nil) == DeployTag("\(head)-dirty", source: .git))
        #expect(try DeployTag.resolve(explicit: nil, environment: ["GITHUB_SHA": DeployFixture.sha], packageDirectory: directory.path, record: nil) == DeployTag("\(DeployFixture.sha)-dirty", source: .githubSHA))
    }

    @Test func outsideGitTheLastPushIsDeployed() throws {
        let directory = try TemporaryDirectory()
        #expect(try DeployTag.resolve(explicit: nil, environment: [:], packageDirectory: directory.path, record: record) == DeployTag("from-record", source: .pushedImageFile))
        #expect(throws: StevedoreError(.tagUnavailable, "no tag to deploy: GITHUB_SHA is not set, \(directory.path) is not a git checkout with a commit and no push was recorded in .build/stevedore/pushed-image; pass --tag")) {
            try DeployTag.resolve(explicit: nil, environment: [:], packageDirectory: directory.path, record: nil)
        }
    }
}
