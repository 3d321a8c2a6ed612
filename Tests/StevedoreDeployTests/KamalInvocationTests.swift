import Foundation
import StevedoreDeploy
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct KamalInvocationTests {
    @Test(arguments: [
        (nil, nil, nil, nil, [String](), ["deploy", "--skip-push", "--version", "abc"]),
        ("staging", "192.0.2.1,192.0.2.2", "web", nil, [], ["deploy", "--skip-push", "--version", "abc", "-d", "staging", "--hosts", "192.0.2.1,192.0.2.2", "--roles", "web"]),
        (nil, nil, nil, "config/other.yml", ["--verbose"], ["deploy", "--skip-push", "--version", "abc", "--config-file", "config/other.yml", "--verbose"]),
    ] as [(String?, String?, String?, String?, [String], [String])])
    func deployArguments(destination: String?, hosts: String?, roles: String?, configFile: String?, extra: [String], expected: [String]) {
        #expect(KamalInvocation.deployArguments(tag: "abc", configFile: configFile, destination: destination, hosts: hosts, roles: roles, extraArguments: extra) == expected)
    }

    @Test func anExplicitPathWins() throws {
        let tools = try TemporaryDirectory()
        let standIn = try KamalStandIn(in: tools)
        try tools.write("package/Gemfile", "gem \"kamal\"\n")
        #expect(try KamalInvocation.locateKamal(explicitPath: standIn.path, packageDirectory: tools.appending("package"), environment: ["PATH": "/nonexistent"]) == [standIn.path])
    }

    @Test func aGemfileNamingKamalMeansBundleExec() throws {
        let tools = try TemporaryDirectory()
        let bundle = try KamalStandIn(name: "bundle", in: tools)
        _ = try KamalStandIn(name: "kamal", in: tools)
        try tools.write("package/Gemfile", "source \"https://rubygems.org\"\n# gem \"rails\"\ngem 'kamal', '~> 2.0'\n")
        let argv = try KamalInvocation.locateKamal(explicitPath: nil, packageDirectory: tools.appending("package"), environment: ["PATH": bundle.binDirectory])
        #expect(argv == [bundle.path, "exec", "kamal"])
    }

    @Test func aGemfileWithoutKamalUsesKamalOnPath() throws {
        let tools = try TemporaryDirectory()
        let kamal = try KamalStandIn(in: tools)
        try tools.write("package/Gemfile", "source \"https://rubygems.org\"\n# gem \"kamal\"\ngem \"kamal-proxy-tools\"\n")
        let argv = try KamalInvocation.locateKamal(explicitPath: nil, packageDirectory: tools.appending("package"), environment: ["PATH": "/nonexistent:\(kamal.binDirectory)"])
        #expect(argv == [kamal.path])
    }

    @Test func noKamalSaysHowToInstallIt() throws {
        let empty = try TemporaryDirectory()
        #expect(throws: StevedoreError(.kamalNotFound, "kamal is not on PATH; install it with `gem install kamal`, add it to the Gemfile (gem \"kamal\"), or pass --kamal PATH")) {
            try KamalInvocation.locateKamal(explicitPath: nil, packageDirectory: empty.path, environment: ["PATH": empty.path])
        }
        #expect(throws: StevedoreError(.kamalNotFound, "--kamal \(empty.path)/missing is not an executable file")) {
            try KamalInvocation.locateKamal(explicitPath: "\(empty.path)/missing", packageDirectory: empty.path, environment: [:])
        }
    }

    @Test func theCommandLineShowsTheSecretsNameButNotItsValue() {
        let invocation = KamalInvocation(
            executable: ["/usr/bin/bundle", "exec", "kamal"],
            arguments: KamalInvocation.deployArguments(tag: "abc", hosts: "a b"),
            secretEnvironment: ["KAMAL_REGISTRY_PASSWORD": "ghp_secret"],
            workingDirectory: "/tmp"
        )
        #expect(invocation.commandLine == "/usr/bin/bundle exec kamal deploy --skip-push --version abc --hosts 'a b'\n  with KAMAL_REGISTRY_PASSWORD set in its environment (value hidden)")
    }

    @Test(arguments: [Int32(0), 1, 3])
    func runStreamsOutputAndReturnsTheExitStatus(status: Int32) async throws {
        let tools = try TemporaryDirectory()
        let kamal = try KamalStandIn(in: tools)
        let output = try CapturedOutput(in: tools, name: "stdout")
        let errors = try CapturedOutput(in: tools, name: "stderr")
        let invocation = KamalInvocation(
            executable: [kamal.path], arguments: ["deploy", "--skip-push", "--version", "abc"],
            secretEnvironment: ["KAMAL_REGISTRY_PASSWORD": "ghp_secret"], workingDirectory: tools.path
        )
        let result = try await invocation.run(
            baseEnvironment: [
                "KAMAL_RECORD_DIR": kamal.recordDirectory, "KAMAL_EXIT_STATUS": "\(status)", "PATH": "/usr/bin:/bin",
                "STEVEDORE_REGISTRY_PASSWORD": "push-secret", "STEVEDORE_CACHE_DIR": "/tmp/cache",
            ],
            output: output.handle, errorOutput: errors.handle
        )
        #expect(result == status)
        #expect(try output.text() == "kamal stand-in: deploying version abc\n")
        #expect(try errors.text() == "kamal stand-in: a warning on stderr\n")
        let received = try kamal.environment()
        #expect(received["KAMAL_REGISTRY_PASSWORD"] == "ghp_secret")
        #expect(received["PATH"] == "/usr/bin:/bin")
        #expect(received.keys.filter { $0.hasPrefix("STEVEDORE_") } == [], "Stevedore's variables are not Kamal's")
    }

    /// Issue 13: Kamal reaches registries and hosts through the proxy the user set, so it gets the variables as given.
    @Test func kamalGetsTheProxyVariables() async throws {
        let tools = try TemporaryDirectory()
        let kamal = try KamalStandIn(in: tools)
        let output = try CapturedOutput(in: tools, name: "stdout")
        let errors = try CapturedOutput(in: tools, name: "stderr")
        let invocation = KamalInvocation(executable: [kamal.path], arguments: ["deploy"], secretEnvironment: [:], workingDirectory: tools.path)
        let proxies = [
            "HTTPS_PROXY": "http://user:p%40ss@proxy.example:3128", "https_proxy": "http://proxy.example:3129",
            "HTTP_PROXY": "http://proxy.example:8080", "NO_PROXY": "10.0.0.0/8,.internal", "no_proxy": "*",
        ]
        let base = ["KAMAL_RECORD_DIR": kamal.recordDirectory, "KAMAL_EXIT_STATUS": "0", "PATH": "/usr/bin:/bin"].merging(proxies) { $1 }
        #expect(try await invocation.run(baseEnvironment: base, output: output.handle, errorOutput: errors.handle) == 0)
        let received = try kamal.environment()
        for (name, value) in proxies { #expect(received[name] == value, "\(name)") }
    }
}
