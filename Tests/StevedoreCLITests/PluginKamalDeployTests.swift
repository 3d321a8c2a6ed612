import Foundation
import StevedoreTestSupport
import Testing

extension PluginTests {
    /// The whole pipeline on Examples/HelloServer: `init kamal` → `push-image` → `kamal-deploy --dry-run`.
    @Suite struct KamalDeploy {
        @Test func dryRunDeploysTheDigestThatWasPushed() throws {
            let package = try PluginFixture.helloServer()
            let registry = try PluginTestRegistry(tokenAuthentication: true)
            defer { registry.stop() }
            let certificates = try #require(registry.certificates)

            let scaffold = try StevedoreBinary.run(["init", "kamal", "--package-path", package, "--host", "192.0.2.10"], environment: PluginFixture.neutralEnvironment)
            try #require(scaffold.status == 0, "init kamal failed:\n\(scaffold.output)")
            // The test registry stands in for ghcr.io: its address, and the user its token server knows.
            let configPath = package + "/config/deploy.yml"
            var config = try String(contentsOfFile: configPath, encoding: .utf8)
            #expect(config.contains("service: helloserver"))
            #expect(config.contains("image: acme/hello"))
            config = config.replacingOccurrences(of: "server: ghcr.io", with: "server: \(registry.host)")
                .replacingOccurrences(of: #"username: \S+"#, with: "username: \(PluginTestRegistry.user)", options: .regularExpression)
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            #expect(try String(contentsOfFile: package + "/.kamal/secrets", encoding: .utf8).contains("KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN"))
            try PluginFixture.git(["add", "-A"], in: package)
            try PluginFixture.git(["commit", "-q", "-m", "Kamal"], in: package)
            let commit = try PluginFixture.head(of: package)

            let repository = "\(registry.host)/acme/hello"
            let push = try PluginFixture.swiftPackage(
                ["push-image", "--repository", repository, "--ca-file", certificates.caCertificate],
                in: package, environment: registry.credentialEnvironment
            )
            try #require(push.status == 0, "push-image failed:\n\(push.output)")
            let pinned = try String(contentsOfFile: package + "/.build/stevedore/pushed-image", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(pinned.hasPrefix("\(repository):\(commit)@sha256:"))
            let inspect = try PluginFixture.json(try ProcessRunner.run(["skopeo", "inspect"] + registry.skopeoArguments + ["docker://\(repository):\(commit)"]))
            #expect((inspect["Labels"] as? [String: String])?["service"] == "helloserver")
            #expect(pinned == "\(repository):\(commit)@\(inspect["Digest"] as? String ?? "no digest from skopeo")")

            // Kamal's password comes from GITHUB_TOKEN through .kamal/secrets, as in Actions.
            let deploy = try PluginFixture.swiftPackage(
                ["kamal-deploy", "--dry-run", "--ca-file", certificates.caCertificate],
                in: package, environment: ["GITHUB_TOKEN": PluginTestRegistry.password]
            )
            #expect(deploy.status == 0, "\(deploy.output)")
            #expect(deploy.output.contains(pinned), "\(deploy.output)")
            #expect(deploy.output.contains("kamal deploy --skip-push --version \(commit)"), "\(deploy.output)")
            #expect(!deploy.output.contains(PluginTestRegistry.password))
        }
    }
}
