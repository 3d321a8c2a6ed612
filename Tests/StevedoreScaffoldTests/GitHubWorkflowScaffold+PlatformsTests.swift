import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
import Yams
@testable import StevedoreScaffold

/// `stevedore init github-actions --platforms`: a matrix of native runners, each pushing `<tag>-<arch>`, and a job
/// joining them with `stevedore index create`.
@Suite(.dedicatedThread) struct GitHubWorkflowScaffoldPlatformsTests {
    static let runners = (try? WorkflowRunner.parseList("linux/amd64,linux/arm64")) ?? []

    /// The workflow as a YAML mapping, parsed with Yams (whose keys are `AnyHashable`: YAML 1.1 reads `on` as a boolean).
    static func parse(_ text: String) throws -> [AnyHashable: Any] {
        try #require(try Yams.load(yaml: text) as? [AnyHashable: Any])
    }

    @Test func theMatrixPushesPlatformTagsAndTheIndexJobJoinsThem() throws {
        let text = try GitHubWorkflowScaffold(product: "HelloServer", runners: Self.runners).render()
        let workflow = try Self.parse(text)
        let jobs = try #require(workflow["jobs"] as? [AnyHashable: Any])
        #expect(Set(jobs.keys) == ["image", "index"])

        let image = try #require(jobs["image"] as? [AnyHashable: Any])
        let strategy = try #require(image["strategy"] as? [AnyHashable: Any])
        let matrix = try #require(strategy["matrix"] as? [AnyHashable: Any])
        let include = try #require(matrix["include"] as? [[String: String]])
        #expect(include == [
            ["platform": "linux/amd64", "runner": "ubuntu-24.04"],
            ["platform": "linux/arm64", "runner": "ubuntu-24.04-arm"],
        ])
        #expect(image["runs-on"] as? String == "${{ matrix.runner }}")
        let outputs = try #require(image["outputs"] as? [String: String])
        #expect(outputs == ["repository": "${{ steps.push.outputs.repository }}", "index-tags": "${{ steps.push.outputs.index-tags }}"])
        let imageSteps = try #require(image["steps"] as? [[AnyHashable: Any]])
        let push = try #require(imageSteps.first { $0["id"] as? String == "push" })
        #expect(push["run"] as? String == "swift package --allow-writing-to-package-directory --allow-network-connections all push-image --product HelloServer --platform-tag\n")

        let index = try #require(jobs["index"] as? [AnyHashable: Any])
        #expect(index["needs"] as? String == "image")
        #expect(index["container"] as? String == image["container"] as? String)
        let indexSteps = try #require(index["steps"] as? [[AnyHashable: Any]])
        let join = try #require(indexSteps.last)
        let environment = try #require(join["env"] as? [String: String])
        #expect(environment["REPOSITORY"] == "${{ needs.image.outputs.repository }}")
        #expect(environment["TAGS"] == "${{ needs.image.outputs.index-tags }}")
        #expect(environment["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}")
        let script = try #require(join["run"] as? String)
        #expect(script.contains(#"for tag in $(echo "$TAGS" | tr ',' ' '); do"#))
        #expect(script.contains(#"swift run stevedore index create --push "$REPOSITORY:$tag" "$REPOSITORY:$tag-amd64" "$REPOSITORY:$tag-arm64""#))

        let permissions = try #require(workflow["permissions"] as? [String: String])
        #expect(permissions["packages"] == "write")
        // `jobs:` stays the last top-level key, so `init kamal` can append its deploy job.
        #expect(text.split(separator: "\n").last { !$0.hasPrefix(" ") && !$0.hasPrefix("#") } == "jobs:")
    }

    @Test func theJoinScriptRunsUnderSh() throws {
        let text = try GitHubWorkflowScaffold(runners: Self.runners).render()
        let jobs = try #require(try Self.parse(text)["jobs"] as? [AnyHashable: Any])
        let steps = try #require((jobs["index"] as? [AnyHashable: Any])?["steps"] as? [[AnyHashable: Any]])
        let script = try #require(steps.last?["run"] as? String)
        // `swift` stands in as a function that prints the command it would run.
        let result = try ProcessRunner.run(
            ["sh", "-e", "-c", "swift() { echo \"$@\"; }\n" + script], environment: ["REPOSITORY": "ghcr.io/acme/hello", "TAGS": "abc,latest"]
        )
        #expect(result.status == 0, "\(result.output)")
        let output = result.stdout
        #expect(output == """
            run stevedore index create --push ghcr.io/acme/hello:abc ghcr.io/acme/hello:abc-amd64 ghcr.io/acme/hello:abc-arm64
            run stevedore index create --push ghcr.io/acme/hello:latest ghcr.io/acme/hello:latest-amd64 ghcr.io/acme/hello:latest-arm64

            """)
    }

    @Test func withoutPlatformsTheWorkflowIsUnchanged() throws {
        #expect(try GitHubWorkflowScaffold(product: "App").render() == (try GitHubWorkflowScaffold(product: "App", runners: []).render()))
        #expect(!(try GitHubWorkflowScaffold(product: "App").render()).contains("matrix"))
    }

    @Test(arguments: [
        ("linux/amd64", "names one platform"),
        ("linux/amd64,linux/amd64", "twice"),
        ("linux/amd64,linux/s390x", "GitHub hosts no Linux runner for linux/s390x"),
        ("linux/amd64,arm64", "invalid platform 'arm64'"),
    ])
    func platformListsThatCannotBeBuilt(list: String, message: String) {
        #expect { try WorkflowRunner.parseList(list) } throws: { error in
            (error as? StevedoreError)?.code == .invalidPlatform && "\(error)".contains(message)
        }
    }

    @Test func aliasesNameTheSameRunners() throws {
        #expect(try WorkflowRunner.parseList("linux/arm64/v8, linux/amd64").map(\.runner) == ["ubuntu-24.04-arm", "ubuntu-24.04"])
    }
}
