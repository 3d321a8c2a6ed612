import Foundation
import StevedoreTestSupport
import Testing

/// Multi-platform images for packages and Kamal (issue 11, items 5 and 6): `package-image` with one executable
/// per platform, `--platform-tag` for one runner of a CI matrix, and `deploy kamal` checking every architecture of
/// `builder.arch` against the tag it deploys.
@Suite(.serialized, .dedicatedThread)
struct MultiPlatformPackageTests {
    /// The zlib-linked C program for amd64 and for arm64.
    static func executables() throws -> (amd64: String, arm64: String) {
        (try Fixtures.cProgram.get(), try Fixtures.cProgramARM64.get())
    }

    /// The platforms of the index or manifest `reference` names, as skopeo reads it (`docker://…` or `oci:…`).
    static func platforms(_ raw: String) -> [String] {
        let root = json(raw)
        guard let manifests = root["manifests"] as? [[String: Any]] else { return [] }
        return manifests.compactMap { ($0["platform"] as? [String: Any]).map { "\($0["os"] ?? "")/\($0["architecture"] ?? "")" } }
    }

    @Test func packageImageWithAnExecutablePerPlatformWritesOneIndex() throws {
        let (amd64, arm64) = try Self.executables()
        let package = try TemporaryDirectory("package-image-platforms")
        let layout = package.appending("layout")
        let result = try StevedoreBinary.run([
            "package-image", "--package-dir", package.path, "--product", "hello-c",
            "--executable", amd64, "--executable", "linux/arm64=\(arm64)",
            "--tag", "v1", "--output", "oci-layout:\(layout):v1",
        ], environment: ["STEVEDORE_CACHE_DIR": package.appending("cache")])
        #expect(result.status == 0, "\(result.output)")
        let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(layout):v1"])
        #expect(raw.status == 0, "\(raw.output)")
        #expect(json(raw.stdout)["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
        #expect(Self.platforms(raw.stdout) == ["linux/amd64", "linux/arm64"])

        let platformTag = try StevedoreBinary.run([
            "package-image", "--package-dir", package.path, "--product", "hello-c", "--executable", amd64, "--executable", arm64, "--platform-tag", "--push",
            "--repository", "127.0.0.1:9/acme/hello", "--tag", "v1",
        ], environment: ["STEVEDORE_CACHE_DIR": package.appending("cache")])
        #expect(platformTag.status != 0)
        #expect(platformTag.stderr.contains("--platform-tag tags one platform's image"), "\(platformTag.output)")
    }

    /// The CI matrix by hand: each "runner" pushes its platform under `<tag>-<arch>`, the last job joins them with
    /// `index create`; Kamal with `builder.arch: [amd64, arm64]` accepts the index (and one built in one go), and
    /// refuses a single-platform tag, naming the architecture it lacks.
    @Test func platformTagsJoinIntoTheIndexKamalDeploys() throws {
        let (amd64, arm64) = try Self.executables()
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let repository = "\(env.address)/acme/hello"
        let package = env.directory.appending("package")
        try FileManager.default.createDirectory(atPath: package + "/.kamal", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: package + "/config", withIntermediateDirectories: true)
        try """
            service: hello
            image: acme/hello
            servers:
              web:
                - 192.0.2.1
            registry:
              server: \(env.address)
              username: \(env.user)
              password:
                - KAMAL_REGISTRY_PASSWORD
            builder:
              arch: [amd64, arm64]

            """.write(toFile: package + "/config/deploy.yml", atomically: true, encoding: .utf8)
        try "KAMAL_REGISTRY_PASSWORD=$REGISTRY_PASSWORD\n".write(toFile: package + "/.kamal/secrets", atomically: true, encoding: .utf8)
        let credentials: [String: String?] = ["STEVEDORE_REGISTRY_USERNAME": env.user, "STEVEDORE_REGISTRY_PASSWORD": env.password]

        // Each runner: package-image --push --platform-tag (the service label comes from config/deploy.yml).
        for (executable, arch) in [(amd64, "amd64"), (arm64, "arm64")] {
            let push = try env.stevedore(
                ["package-image", "--package-dir", package, "--product", "hello-c", "--executable", executable, "--push", "--platform-tag",
                 "--repository", repository, "--tag", "v1", "--tag", "latest", "--output", "oci-layout:\(env.directory.appending("layout-\(arch)"))"]
                    + env.trustArguments,
                environment: credentials
            )
            #expect(push.status == 0, "\(push.output)")
            #expect(push.stdout.contains("Pushed \(repository) tags v1-\(arch), latest-\(arch)"), "\(push.output)")
            #expect(push.stdout.contains("stevedore index create --push \(repository):v1 \(repository):v1-\(arch)"), "\(push.output)")
            #expect(try env.skopeoDigest("\(repository):v1-\(arch)") != nil)
            #expect(try env.skopeoDigest("\(repository):v1") == nil, "--platform-tag must leave the plain tag to the joining job")
        }
        // The joining job.
        let join = try env.stevedore(
            ["index", "create", "--push", "\(repository):v1", "\(repository):v1-amd64", "\(repository):v1-arm64"] + env.trustArguments + env.credentialArguments(),
            stdin: env.password + "\n"
        )
        #expect(join.status == 0, "\(join.output)")
        let joined = try env.skopeo(["inspect", "--raw"] + env.skopeoArguments() + ["docker://\(repository):v1"])
        #expect(Self.platforms(joined.stdout) == ["linux/amd64", "linux/arm64"], "\(joined.output)")

        // One build with both executables pushes the same kind of index in one go.
        let build = try env.stevedore(
            ["build", "--executable", amd64, "--executable", arm64, "--label", "service=hello", "--push", "\(repository):one-build"]
                + env.trustArguments + env.credentialArguments(),
            stdin: env.password + "\n"
        )
        #expect(build.status == 0, "\(build.output)")

        func deploy(_ tag: String) throws -> ProcessResult {
            try env.stevedore(
                ["deploy", "kamal", "--dry-run", "--package-path", package, "--tag", tag, "--image", repository, "--kamal", "/bin/true"] + env.trustArguments,
                environment: ["REGISTRY_PASSWORD": env.password]
            )
        }
        for tag in ["v1", "one-build"] {
            let passes = try deploy(tag)
            #expect(passes.status == 0, "\(tag): \(passes.output)")
            #expect(passes.stdout.contains("builder.arch amd64 is in the image"), "\(passes.output)")
            #expect(passes.stdout.contains("builder.arch arm64 is in the image"), "\(passes.output)")
        }
        let single = try deploy("v1-amd64")
        #expect(single.status != 0, "\(single.output)")
        #expect(single.output.contains("builder.arch lists arm64, but \(repository):v1-amd64 has only linux/amd64"), "\(single.output)")
        #expect(single.output.contains("--swift-sdk"), "\(single.output)")
    }
}
