import Foundation
import StevedoreGitHub
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct GitHubActionsEnvironmentTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    @Test func outsideGitHubActionsNothingIsSet() {
        let actions = GitHubActionsEnvironment([:])
        #expect(!actions.isGitHubActions)
        #expect(actions.commit == nil)
        #expect(actions.repository == nil)
        #expect(actions.serverURL == "https://github.com")
        #expect(actions.repositoryWebURL == nil)
        #expect(actions.ref == nil && actions.branch == nil)
        #expect(actions.token == nil && actions.actor == nil)
        #expect(actions.outputFile == nil && actions.stepSummaryFile == nil)
        #expect(actions.eventDefaultBranch == nil)
    }

    @Test func readsTheWorkflowVariables() throws {
        let directory = try TemporaryDirectory("github-event")
        let event = try directory.write("event.json", #"{"repository": {"default_branch": "trunk"}}"#)
        let actions = GitHubActionsEnvironment([
            "GITHUB_ACTIONS": "true", "GITHUB_SHA": " \(Self.sha.uppercased())\n", "GITHUB_REPOSITORY": "Acme/Hello",
            "GITHUB_SERVER_URL": "https://ghe.example/", "GITHUB_REF": "refs/heads/feature/x", "GITHUB_EVENT_PATH": event,
            "GITHUB_TOKEN": "ghs_x", "GITHUB_ACTOR": "octocat", "GITHUB_OUTPUT": "/tmp/out", "GITHUB_STEP_SUMMARY": "/tmp/summary",
        ])
        #expect(actions.isGitHubActions)
        #expect(actions.commit == Self.sha)
        #expect(actions.repository == GitHubRepositoryName(owner: "Acme", name: "Hello"))
        #expect(actions.repositoryWebURL == "https://ghe.example/Acme/Hello")
        #expect(actions.branch == "feature/x")
        #expect(actions.eventDefaultBranch == "trunk")
        #expect(actions.token == "ghs_x" && actions.actor == "octocat")
        #expect(actions.outputFile == "/tmp/out" && actions.stepSummaryFile == "/tmp/summary")
    }

    @Test(arguments: ["main", "0123456", "", "g123456789abcdef0123456789abcdef01234567"])
    func onlyAFullSHACounts(sha: String) {
        #expect(GitHubActionsEnvironment(["GITHUB_SHA": sha]).commit == nil)
    }

    @Test func tagsAndPullRequestsAreNoBranch() {
        #expect(GitHubActionsEnvironment(["GITHUB_REF": "refs/tags/v1"]).branch == nil)
        #expect(GitHubActionsEnvironment(["GITHUB_REF": "refs/pull/7/merge"]).branch == nil)
        #expect(GitHubActionsEnvironment(["GITHUB_REF": "refs/tags/v1"]).ref == "refs/tags/v1")
        #expect(GitHubActionsEnvironment(["GITHUB_REPOSITORY": "not a slug"]).repository == nil)
    }
}

@Suite(.dedicatedThread) struct CommitTagTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    @Test(arguments: [
        (false, true, ["0123456789abcdef0123456789abcdef01234567", "latest"]),
        (false, false, ["0123456789abcdef0123456789abcdef01234567"]),
        (true, true, ["0123456789abcdef0123456789abcdef01234567-dirty"]),
        (true, false, ["0123456789abcdef0123456789abcdef01234567-dirty"]),
    ])
    func tags(isDirty: Bool, isDefaultBranch: Bool, expected: [String]) {
        #expect(CommitTag.tags(commit: Self.sha, isDirty: isDirty, isDefaultBranch: isDefaultBranch) == expected)
    }

    @Test func fullSHAs() {
        #expect(CommitTag.isFullSHA(Self.sha))
        #expect(CommitTag.isFullSHA(Self.sha.uppercased()))
        #expect(!CommitTag.isFullSHA(String(Self.sha.dropLast())))
        #expect(!CommitTag.isFullSHA(Self.sha + "0"))
    }
}

@Suite(.dedicatedThread) struct SwiftPackageManifestTests {
    @Test func findsExecutableProductsInDumpPackageJSON() {
        let json = #"{"name":"App","products":[{"name":"AppCore","type":{"library":["automatic"]},"targets":["AppCore"]},{"name":"Server","type":{"executable":null},"targets":["Server"]},{"name":"Tool","type":{"executable":null},"targets":["Tool"]}]}"#
        #expect(SwiftPackageManifest(json: Data(json.utf8))?.executableProducts == ["Server", "Tool"])
        #expect(SwiftPackageManifest(json: Data("not json".utf8)) == nil)
    }

    @Test func loadsAPackage() async throws {
        let directory = try TemporaryDirectory("github-manifest")
        try directory.write("Package.swift", """
            // swift-tools-version: 5.9
            import PackageDescription
            let package = Package(name: "App", products: [.executable(name: "Server", targets: ["Server"])], targets: [.executableTarget(name: "Server")])
            """)
        #expect(await SwiftPackageManifest.load(packageDirectory: directory.path)?.executableProducts == ["Server"])
        let empty = try TemporaryDirectory("github-no-manifest")
        #expect(await SwiftPackageManifest.load(packageDirectory: empty.path) == nil)
    }
}
