import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreScaffold
import StevedoreTestSupport
import Testing

/// The deploy checks against what `stevedore init kamal` writes.
@Suite(.dedicatedThread) struct DeployCheckScaffoldTests {
    private let scaffold = KamalScaffold(productName: "HelloServer", owner: "Owner", repository: "Hello", appPort: 8080)

    @Test func whatInitWritesPassesTheDeployChecksForThePushedImage() async throws {
        let directory = try TemporaryDirectory()
        try KamalScaffoldWriter(scaffold: scaffold).write(into: directory.path, force: false)
        let environment = ["GITHUB_TOKEN": "ghp_token"]
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: environment)
        let secrets = try KamalSecrets.load(packageDirectory: directory.path, environment: environment)
        #expect(secrets.entries["KAMAL_REGISTRY_PASSWORD"]?.value == "ghp_token")
        let pushed = ImageReference(registry: "ghcr.io", repository: "owner/hello")
        let facts = PushedImageFacts(digest: DeployFixture.digest, images: [
            .init(platform: Platform(os: "linux", architecture: "amd64"), labels: try KamalConfiguration.serviceLabels(packageDirectory: directory.path, environment: environment)),
        ])
        let check = DeployCheck(configuration: configuration, secrets: secrets, tag: DeployTag(DeployFixture.sha, source: .githubSHA), pushedRepository: pushed)
        let registry = RegistryFixture(tags: [DeployFixture.sha: facts], requiredLogin: KamalRegistryLogin(username: "Owner", password: "ghp_token"))
        let report = await check.run(inspector: registry)
        #expect(report.findings == [])
        #expect(report.image?.description == "ghcr.io/owner/hello:\(DeployFixture.sha)@\(DeployFixture.digest)")
    }
}
