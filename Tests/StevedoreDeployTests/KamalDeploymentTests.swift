import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct KamalDeploymentTests {
    /// A package with a staging destination, and a stand-in kamal beside it.
    private func stagingPackage() throws -> (package: TemporaryDirectory, kamal: KamalStandIn) {
        var fixture = DeployFixture()
        fixture.files["config/deploy.staging.yml"] = "servers:\n  web:\n    - 198.51.100.7\n"
        fixture.files[".kamal/secrets.staging"] = DeployFixture.secrets
        fixture.files[".kamal/secrets"] = "KAMAL_REGISTRY_PASSWORD=wrong-destination\n"
        fixture.files[".kamal/secrets-common"] = "SHARED=1\n"
        let package = try fixture.materialize()
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        return (package, kamal)
    }

    private func environment(_ kamal: KamalStandIn, status: Int32 = 0) -> [String: String] {
        var environment = DeployFixture().environment
        environment["KAMAL_RECORD_DIR"] = kamal.recordDirectory
        environment["KAMAL_EXIT_STATUS"] = "\(status)"
        environment["PATH"] = "/usr/bin:/bin"
        return environment
    }

    @Test(arguments: [Int32(0), 4])
    func kamalGetsThePushedTagAndThePasswordOnlyInItsEnvironment(status: Int32) async throws {
        let (package, kamal) = try stagingPackage()
        let options = KamalDeployOptions(
            packageDirectory: package.path, destination: "staging", hosts: "198.51.100.7", roles: "web",
            pushedImage: DeployFixture.pushed, kamalPath: kamal.path, environment: environment(kamal, status: status)
        )
        let deployment = KamalDeployment(options: options, inspector: RegistryFixture.pushed)
        let plan = try await deployment.plan()
        #expect(plan.isReady, "\(plan.summary)")
        let output = try CapturedOutput(in: kamal.directory, name: "stdout")
        let errors = try CapturedOutput(in: kamal.directory, name: "stderr")
        let exitStatus = try await deployment.run(plan, output: output.handle, errorOutput: errors.handle)

        #expect(exitStatus == status)
        let argv = try kamal.argv()
        #expect(argv == ["deploy", "--skip-push", "--version", DeployFixture.sha, "-d", "staging", "--hosts", "198.51.100.7", "--roles", "web"])
        #expect(!argv.joined(separator: " ").contains(DeployFixture.token))
        let received = try kamal.environment()
        #expect(received["KAMAL_REGISTRY_PASSWORD"] == DeployFixture.token)
        #expect(received["GITHUB_TOKEN"] == DeployFixture.token)
        #expect(try kamal.workingDirectory() == package.path)
        #expect(try output.text() == "kamal stand-in: deploying version \(DeployFixture.sha)\n")
        #expect(try errors.text() == "kamal stand-in: a warning on stderr\n")
        #expect(!plan.summary.contains(DeployFixture.token))
    }

    @Test func theDryRunSummaryShowsChecksImageAndCommand() async throws {
        let package = try DeployFixture().materialize()
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        try package.write(PushedImageRecord.defaultPath, "ghcr.io/owner/hello:\(DeployFixture.sha)@\(DeployFixture.digest)\n")
        let options = KamalDeployOptions(packageDirectory: package.path, kamalPath: kamal.path, environment: environment(kamal))
        let plan = try await KamalDeployment(options: options, inspector: RegistryFixture.pushed).plan()
        #expect(plan.summary == """
        Kamal configuration: config/deploy.yml
        Secrets: .kamal/secrets-common, .kamal/secrets (found .kamal/secrets)
        Tag: \(DeployFixture.sha) (from GITHUB_SHA)
        Checks:
          ok: registry.server is ghcr.io, the registry pushed to
          ok: image is owner/hello, the repository pushed to
          ok: registry.username is owner
          ok: registry.password: the secret KAMAL_REGISTRY_PASSWORD from .kamal/secrets line 1 is set (value hidden)
          ok: ghcr.io/owner/hello:\(DeployFixture.sha) exists: \(DeployFixture.digest) (linux/amd64)
          ok: builder.arch amd64 is in the image
          ok: the linux/amd64 image has the label service=helloserver
        Image: ghcr.io/owner/hello:\(DeployFixture.sha)@\(DeployFixture.digest)
        Command: \(kamal.path) deploy --skip-push --version \(DeployFixture.sha)
          with KAMAL_REGISTRY_PASSWORD set in its environment (value hidden)

        """)
        #expect(!kamal.ran)
    }

    @Test func failedChecksKeepKamalFromRunning() async throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = DeployFixture.deployYAML(replacing: "image: owner/hello", with: "image: ghcr.io/owner/hello")
        let package = try fixture.materialize()
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        let options = KamalDeployOptions(packageDirectory: package.path, pushedImage: DeployFixture.pushed, kamalPath: kamal.path, environment: environment(kamal))
        let deployment = KamalDeployment(options: options, inspector: RegistryFixture.pushed)
        let plan = try await deployment.plan()
        #expect(!plan.isReady)
        #expect(plan.summary.hasSuffix("1 problem to fix before Kamal can deploy.\n"))
        await #expect(throws: StevedoreError(.checksFailed, """
        Kamal was not run: 1 check failed:
        error: image: image 'ghcr.io/owner/hello' starts with the registry 'ghcr.io'; Kamal puts registry.server in front itself and would pull 'ghcr.io/ghcr.io/owner/hello:\(DeployFixture.sha)'
          fix: set image: owner/hello (the registry belongs in registry.server only)
        """)) {
            try await deployment.run(plan)
        }
        #expect(!kamal.ran)
    }

    @Test func aMissingKamalStillAllowsADryRun() async throws {
        let package = try DeployFixture().materialize()
        var environment = DeployFixture().environment
        environment["PATH"] = package.path
        let options = KamalDeployOptions(packageDirectory: package.path, pushedImage: DeployFixture.pushed, environment: environment)
        let deployment = KamalDeployment(options: options, inspector: RegistryFixture.pushed)
        let plan = try await deployment.plan()
        #expect(plan.report.findings == [])
        #expect(plan.kamalNotFound?.code == .kamalNotFound)
        #expect(plan.isReady)
        #expect(plan.summary.contains("  warning: kamal: kamal is not on PATH; install it with `gem install kamal`, add it to the Gemfile (gem \"kamal\"), or pass --kamal PATH\n"))
        #expect(plan.summary.hasSuffix("Command: kamal deploy --skip-push --version \(DeployFixture.sha)\n  with KAMAL_REGISTRY_PASSWORD set in its environment (value hidden)\n"))
        await #expect(throws: StevedoreError(.kamalNotFound, "kamal is not on PATH; install it with `gem install kamal`, add it to the Gemfile (gem \"kamal\"), or pass --kamal PATH")) {
            try await deployment.run(plan)
        }
    }

    @Test func withoutGitHubRepositoryTheOriginRemoteNamesThePushedRepository() async throws {
        let package = try DeployFixture().materialize()
        try ProcessRunner.run(["git", "-C", package.path, "init", "-q"])
        try ProcessRunner.run(["git", "-C", package.path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "x"])
        try ProcessRunner.run(["git", "-C", package.path, "remote", "add", "origin", "https://github.com/Owner/Other.git"])
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        let options = KamalDeployOptions(packageDirectory: package.path, kamalPath: kamal.path, environment: environment(kamal))
        let plan = try await KamalDeployment(options: options, inspector: RegistryFixture.pushed).plan()
        #expect(plan.report.findings.contains(DeployFinding(.error, key: "image", message: "image is 'owner/hello' in config/deploy.yml, but the image was pushed to 'ghcr.io/owner/other'", fix: "set image: owner/other")))
    }

    @Test func theTagOptionAndGitHubRepositoryAreUsed() async throws {
        let package = try DeployFixture().materialize()
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        var environment = environment(kamal)
        environment["GITHUB_REPOSITORY"] = "Owner/Hello"
        let other = "v1.2.3"
        let registry = RegistryFixture(tags: [other: DeployFixture.facts])
        let options = KamalDeployOptions(packageDirectory: package.path, tag: other, kamalPath: kamal.path, environment: environment)
        let plan = try await KamalDeployment(options: options, inspector: registry).plan()
        #expect(plan.report.findings == [])
        #expect(plan.tag == DeployTag(other, source: .option))
        #expect(plan.report.image?.description == "ghcr.io/owner/hello:v1.2.3@\(DeployFixture.digest)")
        #expect(plan.invocation.arguments == ["deploy", "--skip-push", "--version", "v1.2.3"])
    }
}
