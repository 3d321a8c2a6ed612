import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
import Yams
@testable import StevedoreScaffold

/// `stevedore init github-actions` attests what `push-image` pushed: GitHub's build provenance for the pushed digest and
/// the SBOM `push-image` wrote, both pushed to the registry beside the image, with the permissions they need.
@Suite(.dedicatedThread) struct GitHubWorkflowScaffoldAttestationsTests {
    /// The steps after the push step of `job`, by name, and the job's (or the workflow's) permissions.
    static func attestations(in text: String, job: String) throws -> (steps: [[AnyHashable: Any]], permissions: [String: String]) {
        let workflow = try GitHubWorkflowScaffoldPlatformsTests.parse(text)
        let jobs = try #require(workflow["jobs"] as? [AnyHashable: Any])
        let image = try #require(jobs[job] as? [AnyHashable: Any])
        let steps = try #require(image["steps"] as? [[AnyHashable: Any]])
        let push = try #require(steps.firstIndex { $0["id"] as? String == "push" })
        let permissions = try #require((image["permissions"] ?? workflow["permissions"]) as? [String: String])
        return (Array(steps[(push + 1)...]), permissions)
    }

    @Test(arguments: [[], GitHubWorkflowScaffoldPlatformsTests.runners])
    func theWorkflowAttestsProvenanceAndTheSBOMOfThePushedDigest(runners: [WorkflowRunner]) throws {
        let text = try GitHubWorkflowScaffold(product: "HelloServer", runners: runners).render()
        let (steps, permissions) = try Self.attestations(in: text, job: "image")
        #expect(permissions == ["contents": "read", "packages": "write", "id-token": "write", "attestations": "write"])

        let provenance = try #require(steps.first { $0["uses"] as? String == "actions/attest-build-provenance@v2" })
        let provenanceInputs = try #require(provenance["with"] as? [String: Any])
        #expect(provenanceInputs["subject-name"] as? String == "${{ steps.push.outputs.repository }}")
        #expect(provenanceInputs["subject-digest"] as? String == "${{ steps.push.outputs.digest }}")
        #expect(provenanceInputs["push-to-registry"] as? Bool == true)

        let sbom = try #require(steps.first { $0["uses"] as? String == "actions/attest-sbom@v2" })
        let sbomInputs = try #require(sbom["with"] as? [String: Any])
        #expect(sbomInputs["subject-name"] as? String == "${{ steps.push.outputs.repository }}")
        #expect(sbomInputs["subject-digest"] as? String == "${{ steps.push.outputs.digest }}")
        #expect(sbomInputs["sbom-path"] as? String == "${{ steps.push.outputs.sbom }}")
        #expect(sbomInputs["push-to-registry"] as? Bool == true)

        // The actions push their bundles with the credentials in docker's config.json: a login comes first, with the
        // job's token on standard input (never on the command line).
        let login = try #require(steps.first)
        let script = try #require(login["run"] as? String)
        #expect(script.contains("swift run stevedore login \"${REPOSITORY%%/*}\" --username \"$GITHUB_ACTOR\" --password-stdin"))
        #expect(!script.contains("secrets."))
        #expect((login["env"] as? [String: String])?["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}")
    }

    /// The login step's script, run under `sh` with `swift` standing in, logs in to the registry of the pushed
    /// repository with the token on standard input.
    @Test func theLoginStepNamesTheRepositorysRegistry() throws {
        let (steps, _) = try Self.attestations(in: try GitHubWorkflowScaffold().render(), job: "image")
        let script = try #require(steps.first?["run"] as? String)
        let result = try ProcessRunner.run(
            ["sh", "-e", "-c", "swift() { echo \"$@\"; cat; }\n" + script],
            environment: ["REPOSITORY": "ghcr.io/acme/hello", "GITHUB_TOKEN": "token-value", "GITHUB_ACTOR": "octocat"]
        )
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "run stevedore login ghcr.io --username octocat --password-stdin\ntoken-value\n")
    }
}
