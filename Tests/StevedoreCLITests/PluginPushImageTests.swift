import Foundation
import StevedoreTestSupport
import Testing

extension PluginTests {
    @Suite struct PushImage {
        @Test func pushesWithGitHubDefaultsAndWritesTheStepOutputs() throws {
            let package = try PluginFixture.helloServer()
            let commit = try PluginFixture.head(of: package)
            let registry = try PluginTestRegistry(tokenAuthentication: true)
            defer { registry.stop() }
            let certificates = try #require(registry.certificates)
            let outputs = try TemporaryDirectory("plugin-gha")
            let githubOutput = try outputs.write("output", "")
            let summary = outputs.appending("summary.md")
            var environment: [String: String?] = [
                "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "Acme/Hello", "GITHUB_SHA": commit,
                "GITHUB_REF": "refs/heads/main", "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_OUTPUT": githubOutput, "GITHUB_STEP_SUMMARY": summary,
            ]
            environment.merge(registry.credentialEnvironment) { _, new in new }
            let repository = "\(registry.host)/acme/hello"
            let arguments = ["push-image", "--repository", repository, "--ca-file", certificates.caCertificate, "--expose", "8080"]
            let first = try PluginFixture.swiftPackage(arguments, in: package, environment: environment)
            try #require(first.status == 0, "push-image failed:\n\(first.output)")

            // $GITHUB_OUTPUT has image, digest and tags; the summary has the table.
            var keys: [String: String] = [:]
            for line in try String(contentsOfFile: githubOutput, encoding: .utf8).split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { keys[parts[0]] = parts[1] }
            }
            let digest = try #require(keys["digest"], "no digest output in \(keys)")
            #expect(digest.hasPrefix("sha256:") && digest.count == 71)
            #expect(keys["image"] == "\(repository)@\(digest)")
            #expect(keys["tags"] == "\(commit),latest")
            #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("| Digest | `\(digest)` |"))
            let pinned = try String(contentsOfFile: package + "/.build/stevedore/pushed-image", encoding: .utf8)
            #expect(pinned == "\(repository):\(commit)@\(digest)\n")
            #expect(first.output.contains("\(repository):\(commit)@\(digest)"), "\(first.output)")

            // The SBOM: written where $GITHUB_OUTPUT's `sbom` says (the attestation step reads it), valid SPDX listing
            // swift-nio at the version Package.resolved pins, and attached to the image under the referrers tag.
            #expect(keys["repository"] == repository)
            let sbomFile = try #require(keys["sbom"], "no sbom output in \(keys)")
            #expect(sbomFile == package + "/.build/stevedore/sbom/HelloServer.spdx.json")
            let validation = try SPDXTools.validate(sbomFile)
            #expect(validation.status == 0, "\(validation.output)")
            let sbom = try String(contentsOfFile: sbomFile, encoding: .utf8)
            let nioVersion = try PluginFixture.resolvedVersion(of: "swift-nio", in: package)
            #expect(sbom.contains("\"pkg:swift/github.com/apple/swift-nio@\(nioVersion)\""), "swift-nio \(nioVersion) is not in the SBOM")
            let referrersTag = "sha256-" + digest.dropFirst("sha256:".count)
            let referrers = try PluginFixture.json(try ProcessRunner.run(["skopeo", "inspect", "--raw"] + registry.skopeoArguments + ["docker://\(repository):\(referrersTag)"]))
            let attached = referrers["manifests"] as? [[String: Any]] ?? []
            #expect(attached.map { $0["artifactType"] as? String } == ["application/spdx+json"])

            // The registry has both tags (and the referrers tag), the labels and the same digest under each.
            let tags = try PluginFixture.json(try ProcessRunner.run(["skopeo", "list-tags"] + registry.skopeoArguments + ["docker://\(repository)"]))
            #expect(Set(tags["Tags"] as? [String] ?? []) == [commit, "latest", referrersTag])
            for tag in [commit, "latest"] {
                let inspect = try PluginFixture.json(try ProcessRunner.run(["skopeo", "inspect"] + registry.skopeoArguments + ["docker://\(repository):\(tag)"]))
                #expect(inspect["Digest"] as? String == digest)
                let labels = inspect["Labels"] as? [String: String] ?? [:]
                #expect(labels["org.opencontainers.image.source"] == "https://github.com/Acme/Hello")
                #expect(labels["org.opencontainers.image.revision"] == commit)
                #expect(labels["org.opencontainers.image.created"] == PluginFixture.commitDate)
            }

            // The same commit pushed again: the same digest.
            let second = try PluginFixture.swiftPackage(arguments, in: package, environment: environment)
            try #require(second.status == 0, "second push-image failed:\n\(second.output)")
            #expect(try String(contentsOfFile: package + "/.build/stevedore/pushed-image", encoding: .utf8) == pinned)
            #expect(try String(contentsOfFile: sbomFile, encoding: .utf8) == sbom)
        }

        @Test func missingRepositoryWithoutGitHubContextIsAClearError() throws {
            let package = try PluginFixture.helloServer(origin: nil)
            let result = try PluginFixture.swiftPackage(["push-image"], in: package)
            #expect(result.status != 0)
            #expect(result.output.contains("No image repository to push to: pass --repository"), "\(result.output)")
        }
    }

    /// A package a new user would write: its own directory outside Stevedore, Stevedore as a path dependency,
    /// an executable with a resource; built, run and pushed with the plugins.
    @Suite struct NewPackage {
        static func files() -> [String: String] {
            [
                "Package.swift": """
                // swift-tools-version: 6.0
                import PackageDescription

                let package = Package(
                    name: "Greeter",
                    products: [.executable(name: "greeter", targets: ["Greeter"])],
                    dependencies: [.package(path: "\(PluginFixture.stevedoreRoot)")],
                    targets: [.executableTarget(name: "Greeter", resources: [.copy("greeting.txt")])]
                )
                """,
                "Sources/Greeter/main.swift": """
                import Foundation

                guard let url = Bundle.module.url(forResource: "greeting", withExtension: "txt"),
                      let text = try? String(contentsOf: url, encoding: .utf8) else {
                    print("greeting.txt missing")
                    exit(1)
                }
                print(text.trimmingCharacters(in: .whitespacesAndNewlines) + " " + CommandLine.arguments.dropFirst().joined(separator: " "))
                """,
                "Sources/Greeter/greeting.txt": "Ahoy from the resource bundle\n",
            ]
        }

        @Test func buildsRunsAndPushes() throws {
            let temporary = try TemporaryDirectory("plugin-newpackage")
            let package = try PluginFixture.package(at: temporary.appending("Greeter"), files: Self.files(), products: ["greeter"])
            let archive = temporary.appending("greeter.tar")
            let build = try PluginFixture.swiftPackage(
                ["build-image", "--cmd", "sailor", "--output", "oci-layout:.build/greeter-image:v1", "--output", "docker-archive:\(archive):greeter:v1"],
                in: package)
            try #require(build.status == 0, "build-image failed:\n\(build.output)")
            #expect(build.output.contains("podman load -i \(archive)"))
            #expect(FileManager.default.fileExists(atPath: archive))

            let podman = try PluginPodman()
            let runnable = "/tmp/plugin-image-\(UUID().uuidString.prefix(8).lowercased())"
            try FileManager.default.copyItem(atPath: package + "/.build/greeter-image", toPath: runnable)
            defer { try? FileManager.default.removeItem(atPath: runnable) }
            let run = try podman.run(["run", "--rm", "--network=none", "oci:\(runnable):v1"])
            #expect(run.status == 0 && run.stdout.contains("Ahoy from the resource bundle sailor"), "\(run.output)")

            let registry = try PluginTestRegistry(tokenAuthentication: false)
            defer { registry.stop() }
            let push = try PluginFixture.swiftPackage(
                ["push-image", "--repository", "\(registry.host)/me/greeter", "--tag", "v1", "--tag", "stable", "--cmd", "sailor"], in: package)
            try #require(push.status == 0, "push-image failed:\n\(push.output)")
            let tags = try PluginFixture.json(try ProcessRunner.run(["skopeo", "list-tags"] + registry.skopeoArguments + ["docker://\(registry.host)/me/greeter"]))
            // Both tags, and the referrers tag of the pushed digest, which holds the SBOM push-image attached.
            let inspect = try PluginFixture.json(try ProcessRunner.run(["skopeo", "inspect"] + registry.skopeoArguments + ["docker://\(registry.host)/me/greeter:v1"]))
            let digest = try #require(inspect["Digest"] as? String)
            #expect(Set(tags["Tags"] as? [String] ?? []) == ["v1", "stable", "sha256-" + digest.dropFirst("sha256:".count)])
        }
    }
}
