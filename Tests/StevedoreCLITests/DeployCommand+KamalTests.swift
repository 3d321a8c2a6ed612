import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore deploy kamal` and `stevedore package-image --push --deploy` (what `push-image --deploy` runs) end to
/// end: a real registry holds the pushed image, a stand-in records how Kamal was run.
///
/// The registry has two users: the push goes with `alice`'s credentials in `STEVEDORE_REGISTRY_*`, as the plugins
/// pass them; Kamal logs in as the pull-only `reader`, whose password reaches it through `.kamal/secrets`
/// (`KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN`). Kamal must see the second and never the first.
@Suite(.serialized, .dedicatedThread)
struct DeployCommandKamalTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    /// A package deploying `owner/hello` from the test registry as `reader`; a Gemfile when given.
    static func package(_ env: RegistryTestEnvironment, gemfile: String? = nil) throws -> TemporaryDirectory {
        let package = try TemporaryDirectory("deploy-kamal")
        try package.write("config/deploy.yml", """
            service: helloserver
            image: owner/hello
            servers:
              web:
                - 192.0.2.1
            registry:
              server: \(env.address)
              username: \(env.reader)
              password:
                - KAMAL_REGISTRY_PASSWORD
            builder:
              arch: amd64

            """)
        try package.write(".kamal/secrets", "KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN\n")
        if let gemfile { try package.write("Gemfile", gemfile) }
        return package
    }

    /// Pushes the C fixture, labelled for the service, to `owner/hello:TAG` as `alice`.
    static func pushImage(_ env: RegistryTestEnvironment, tag: String) throws {
        let push = try env.stevedore(
            ["build", "--executable", try Fixtures.cProgram.get(), "--label", "service=helloserver", "--push", "\(env.address)/owner/hello:\(tag)", "--quiet"]
                + env.trustArguments + env.credentialArguments(),
            stdin: env.password
        )
        try #require(push.status == 0, "\(push.output)")
    }

    /// What stevedore runs with: the stand-in first on PATH, Kamal's password in GITHUB_TOKEN, the push's credentials
    /// in STEVEDORE_REGISTRY_*, and no GitHub Actions context from the machine running the tests.
    static func environment(_ env: RegistryTestEnvironment, _ kamal: KamalStandIn, status: Int32) -> [String: String?] {
        [
            "PATH": "\(kamal.binDirectory):/usr/bin:/bin", "GITHUB_TOKEN": env.readerPassword,
            "KAMAL_RECORD_DIR": kamal.recordDirectory, "KAMAL_EXIT_STATUS": "\(status)",
            "STEVEDORE_REGISTRY_USERNAME": env.user, "STEVEDORE_REGISTRY_PASSWORD": env.password,
            "GITHUB_ACTIONS": nil, "GITHUB_SHA": nil, "GITHUB_REPOSITORY": nil, "GITHUB_REF": nil, "GITHUB_OUTPUT": nil,
            "GITHUB_STEP_SUMMARY": nil, "GITHUB_EVENT_PATH": nil, "SOURCE_DATE_EPOCH": nil,
        ]
    }

    /// Checks the stand-in's whole environment: stevedore's own, less every `STEVEDORE_*` variable, plus the
    /// registry password under its secret's name; PATH intact; the push password nowhere.
    static func expectKamalEnvironment(_ kamal: KamalStandIn, _ env: RegistryTestEnvironment, given: [String: String?]) throws {
        var expected = ProcessInfo.processInfo.environment
        for (key, value) in env.isolatedEnvironment.merging(given, uniquingKeysWith: { _, new in new }) { expected[key] = value }
        // What a shell sets by itself, in the stand-in and in whatever started the tests.
        let shellVariables: Set<String> = ["PWD", "OLDPWD", "SHLVL", "_"]
        expected = expected.filter { !$0.key.hasPrefix("STEVEDORE_") && !shellVariables.contains($0.key) }
        expected["KAMAL_REGISTRY_PASSWORD"] = env.readerPassword
        let received = try kamal.environment().filter { !shellVariables.contains($0.key) }
        #expect(received == expected, "differs in \(Set(received.keys).symmetricDifference(expected.keys).sorted()) or values")
        #expect(received["PATH"] == given["PATH"] ?? nil)
        #expect(received.keys.filter { $0.hasPrefix("STEVEDORE_") } == [])
        #expect(!received.values.contains { $0.contains(env.password) }, "the push password reached Kamal")
    }

    @Test("deploy kamal runs Kamal with the pushed tag, passes its output and exit status through, and hands it no STEVEDORE_* variable",
          arguments: [Int32(0), 3])
    func deployKamalPassesKamalsExitStatusThrough(status: Int32) throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        try Self.pushImage(env, tag: Self.sha)
        let package = try Self.package(env)
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        let environment = Self.environment(env, kamal, status: status)

        let deploy = try env.stevedore(
            ["deploy", "kamal", "--package-path", package.path, "--tag", Self.sha, "--image", "\(env.address)/owner/hello"] + env.trustArguments,
            environment: environment
        )
        #expect(deploy.status == status, "\(deploy.output)")
        #expect(deploy.stdout.contains("Image: \(env.address)/owner/hello:\(Self.sha)@sha256:"), "\(deploy.output)")
        #expect(deploy.stdout.contains("kamal stand-in: deploying version \(Self.sha)\n"), "\(deploy.output)")
        #expect(deploy.stderr.contains("kamal stand-in: a warning on stderr\n"), "\(deploy.output)")
        #expect(try kamal.argv() == ["deploy", "--skip-push", "--version", Self.sha])
        #expect(try kamal.workingDirectory() == package.path)
        try Self.expectKamalEnvironment(kamal, env, given: environment)
        #expect(!deploy.output.contains(env.password) && !deploy.output.contains(env.readerPassword))
    }

    @Test("a Gemfile that names kamal makes deploy kamal run bundle exec kamal, even with kamal on PATH")
    func aGemfileMeansBundleExecKamal() throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        try Self.pushImage(env, tag: Self.sha)
        let package = try Self.package(env, gemfile: "source \"https://rubygems.org\"\ngem \"kamal\", \"~> 2.0\"\n")
        let tools = try TemporaryDirectory("kamal-stand-in")
        let bundle = try KamalStandIn(name: "bundle", in: tools)
        _ = try KamalStandIn(name: "kamal", in: tools)
        let environment = Self.environment(env, bundle, status: 0)

        let deploy = try env.stevedore(
            ["deploy", "kamal", "--package-path", package.path, "--tag", Self.sha, "--image", "\(env.address)/owner/hello"] + env.trustArguments,
            environment: environment
        )
        #expect(deploy.status == 0, "\(deploy.output)")
        #expect(deploy.stdout.contains("Command: \(bundle.path) exec kamal deploy --skip-push --version \(Self.sha)"), "\(deploy.output)")
        #expect(try bundle.argv() == ["exec", "kamal", "deploy", "--skip-push", "--version", Self.sha])
        try Self.expectKamalEnvironment(bundle, env, given: environment)
    }

    /// `swift package push-image --deploy` builds the product, then runs exactly this command.
    @Test("package-image --push --deploy pushes, then deploys the commit's tag with Kamal, whose exit status it returns")
    func packageImageDeployDeploysWhatItPushed() throws {
        let env = try RegistryTestEnvironment(.tokenTLS)
        defer { env.stop() }
        let package = try Self.package(env)
        for arguments in [["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "Deploy"]] {
            try TestLayouts.check(ProcessRunner.run(["git", "-C", package.path] + arguments))
        }
        let commit = try ProcessRunner.run(["git", "-C", package.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let kamal = try KamalStandIn(in: try TemporaryDirectory("kamal-stand-in"))
        let environment = Self.environment(env, kamal, status: 3)

        let result = try env.stevedore(
            ["package-image", "--package-dir", package.path, "--product", "hello-c", "--executable", try Fixtures.cProgram.get(),
             "--push", "--repository", "\(env.address)/owner/hello", "--deploy"] + env.trustArguments,
            environment: environment
        )
        #expect(result.status == 3, "\(result.output)")
        let pinned = try String(contentsOfFile: package.appending(".build/stevedore/pushed-image"), encoding: .utf8)
        let pushedDigest = try env.skopeoDigest("\(env.address)/owner/hello:\(commit)")
        #expect(pinned == "\(env.address)/owner/hello:\(commit)@\(pushedDigest ?? "nothing pushed")\n")
        #expect(result.stdout.contains("ok: the linux/amd64 image has the label service=helloserver"), "\(result.output)")
        #expect(try kamal.argv() == ["deploy", "--skip-push", "--version", commit])
        #expect(try kamal.workingDirectory() == package.path)
        try Self.expectKamalEnvironment(kamal, env, given: environment)
        #expect(!result.output.contains(env.password) && !result.output.contains(env.readerPassword))
    }
}
