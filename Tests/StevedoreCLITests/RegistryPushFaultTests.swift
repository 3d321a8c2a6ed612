import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing

/// README, "Push" and "Auth": tags are pushed last, a 401 in the middle of a push refreshes the token once,
/// and a `denied` from ghcr.io is explained. Real docker-registry behind the fault proxy, or the misbehaving
/// registry under the name ghcr.io in a private network namespace.
@Suite(.serialized, .dedicatedThread)
struct RegistryPushFaultTests {
    /// How the push is stopped once its blobs are in.
    enum ManifestFault: String, CaseIterable, Sendable, CustomStringConvertible {
        /// Every manifest `PUT` is answered 500 (retried, then given up).
        case everyManifestFails
        /// Every manifest `PUT` has its connection reset, as if the registry (or the network) died.
        case everyManifestIsReset
        /// The first tag goes through, the second fails.
        case secondTagFails

        var description: String { rawValue }

        var rule: RegistryFaultProxy.Rule {
            switch self {
            case .everyManifestFails: .status(500, method: "PUT", pathContains: "/manifests/", times: -1)
            case .everyManifestIsReset: .reset(method: "PUT", pathContains: "/manifests/", times: -1)
            case .secondTagFails: .status(500, method: "PUT", pathContains: "/manifests/extra", times: -1)
            }
        }
    }

    @Test("tags are pushed last: a push that fails after its blobs leaves no tag pointing at a missing blob", arguments: ManifestFault.allCases)
    func noTagPointsAtAMissingBlob(fault: ManifestFault) throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [
            .init(randomFiles: ["big.bin": 400_000]), .init(files: ["a.txt": "a\n"]), .init(files: ["b.txt": "b\n"]),
        ])
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [fault.rule])
        defer { proxy.stop() }
        let push = try env.stevedore(["push", "oci-layout:\(source):v1", "\(proxy.address)/team/app:v1", "--tag", "extra", "--retries", "2"])
        #expect(push.status == 1, "\(push.output)")
        #expect(proxy.faultCount > 0, "\(proxy.log)")

        // Every blob request came before the first manifest.
        let lines = proxy.log.split(separator: "\n").map(String.init)
        let firstManifest = try #require(lines.firstIndex { $0.hasPrefix("PUT /v2/team/app/manifests/") }, "\(proxy.log)")
        let lastBlob = try #require(lines.lastIndex { $0.contains("/v2/team/app/blobs/") }, "\(proxy.log)")
        #expect(lastBlob < firstManifest, "a blob request followed a manifest:\n\(proxy.log)")

        // Asked directly: a tag either does not exist, or every blob of its manifest does.
        var tagged: [String] = []
        for tag in ["v1", "extra"] {
            let manifest = try ProcessRunner.run(["curl", "-sS", "-H", "Accept: application/vnd.oci.image.manifest.v1+json", "-w", "\n%{http_code}", "http://\(env.address)/v2/team/app/manifests/\(tag)"], timeout: 60)
            let status = manifest.stdout.split(separator: "\n").last.map(String.init)
            guard status == "200" else {
                #expect(status == "404", "\(manifest.output)")
                continue
            }
            tagged.append(tag)
            for digest in [image.manifest.config.digest] + image.manifest.layers.map(\.digest) {
                let head = try ProcessRunner.run(["curl", "-sS", "-I", "-o", "/dev/null", "-w", "%{http_code}", "http://\(env.address)/v2/team/app/blobs/\(digest)"], timeout: 60)
                #expect(head.stdout == "200", "tag \(tag) points at \(digest), which the registry does not have (\(head.output))")
            }
        }
        #expect(tagged == (fault == .secondTagFails ? ["v1"] : []), "tags in the registry: \(tagged)")
    }

    /// A registry with token authentication on plain HTTP (the fault proxy speaks plain HTTP to its upstream).
    final class TokenRegistry {
        let directory: TemporaryDirectory
        let tokenServer: RegistryTokenServer
        let registry: RegistryServer
        let password = "pw-\(UUID().uuidString.prefix(12))"

        init() throws {
            directory = try TemporaryDirectory("stevedore-token-registry")
            let certificates = try RegistryCertificates(directory: directory.appending("certs"))
            tokenServer = try RegistryTokenServer(directory: directory.appending("token"), certificates: certificates, users: ["alice": (password, ["pull", "push"])])
            do {
                registry = try RegistryServer(directory: directory.appending("registry"), authentication: .token(tokenServer), certificates: nil)
            } catch {
                tokenServer.stop()
                throw error
            }
        }

        var issuedTokens: Int { tokenServer.log.split(separator: "\n").filter { $0.hasPrefix("token issued") }.count }

        /// A challenge as docker-registry sends it for an expired token.
        func expiredTokenChallenge(repository: String) -> [String: String] {
            ["WWW-Authenticate": #"Bearer realm="\#(tokenServer.realm)",service="\#(RegistryTokenServer.service)",scope="repository:\#(repository):pull,push",error="invalid_token""#]
        }

        func push(_ source: String, to reference: String) throws -> ProcessResult {
            try StevedoreBinary.run(
                ["push", "oci-layout:\(source):v1", reference, "--username", "alice", "--password-stdin", "--retries", "2"],
                environment: [
                    "HOME": directory.appending("home"), "DOCKER_CONFIG": directory.appending("home/.docker"),
                    "REGISTRY_AUTH_FILE": nil, "XDG_RUNTIME_DIR": nil, "XDG_CONFIG_HOME": nil, "NETRC": nil, "GITHUB_TOKEN": nil,
                    "STEVEDORE_REGISTRY_USERNAME": nil, "STEVEDORE_REGISTRY_PASSWORD": nil, "STEVEDORE_CACHE_DIR": directory.appending("cache"),
                ],
                stdin: password + "\n", timeout: 300
            )
        }

        func stop() {
            registry.stop()
            tokenServer.stop()
        }
    }

    @Test("a 401 in the middle of a push refreshes the token once and the push continues; a second 401 fails it")
    func a401RefreshesTheTokenOnce() throws {
        let registry = try TokenRegistry()
        defer { registry.stop() }
        let source = registry.directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"]), .init(files: ["b.txt": "b\n"])])
        let proxy = try RegistryFaultProxy(directory: registry.directory.appending("proxy"), upstream: registry.registry.address, rules: [
            .status(401, method: "PUT", pathContains: "/v2/team/once/manifests/v1", times: 1, errorCode: "UNAUTHORIZED", headers: registry.expiredTokenChallenge(repository: "team/once")),
            .status(401, method: "PUT", pathContains: "/v2/team/twice/manifests/v1", times: 2, errorCode: "UNAUTHORIZED", headers: registry.expiredTokenChallenge(repository: "team/twice")),
        ])
        defer { proxy.stop() }

        // The same push without a fault: how many tokens it takes.
        var before = registry.issuedTokens
        let control = try registry.push(source, to: "\(proxy.address)/team/control:v1")
        try #require(control.status == 0, "\(control.output)")
        let tokensPerPush = registry.issuedTokens - before

        before = registry.issuedTokens
        let once = try registry.push(source, to: "\(proxy.address)/team/once:v1")
        #expect(once.status == 0, "\(once.output)\n\(proxy.log)")
        #expect(registry.issuedTokens - before == tokensPerPush + 1, "one more token than a push without a 401:\n\(registry.tokenServer.log)")
        #expect(proxy.log.contains("PUT /v2/team/once/manifests/v1 -> FAULT 401"), "\(proxy.log)")
        #expect(proxy.log.contains("PUT /v2/team/once/manifests/v1 -> 201"), "\(proxy.log)")

        let twice = try registry.push(source, to: "\(proxy.address)/team/twice:v1")
        #expect(twice.status == 77, "\(twice.output)")
        let error = twice.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(error.hasPrefix("error: \(proxy.address) denied user 'alice' from --password-stdin permission to push to team/twice (PUT /v2/team/twice/manifests/v1"), "\(twice.stderr)")
        let attempts = proxy.log.split(separator: "\n").filter { $0.hasPrefix("PUT /v2/team/twice/manifests/v1 ") }
        #expect(attempts.count == 2, "refreshed once, then gave up:\n\(proxy.log)")
        #expect(!proxy.log.contains("PUT /v2/team/twice/manifests/v1 -> 201"), "\(proxy.log)")
    }

    @Test("a push that ghcr.io answers with DENIED explains the workflow permission and Manage Actions access")
    func ghcrDeniedIsExplained() throws {
        let directory = try TemporaryDirectory("stevedore-ghcr-denied")
        // ghcr.io is 127.0.0.1 in a private namespace; the misbehaving registry listens on its port 80 there.
        let namespace = try NetworkNamespace(directory: directory.appending("netns"), hosts: ["ghcr.io"])
        defer { namespace.stop() }
        let registry = try MisbehavingRegistry(directory: directory.appending("registry"), mode: .deniesPush, port: 80, launcher: namespace.launcher)
        defer { registry.stop() }
        let source = directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let push = try ProcessRunner.run(
            namespace.launcher + [StevedoreBinary.path, "push", "oci-layout:\(source):v1", "ghcr.io/acme/app:v1", "--insecure-registry", "ghcr.io", "--retries", "2"],
            environment: [
                "HOME": directory.appending("home"), "DOCKER_CONFIG": directory.appending("home/.docker"),
                "REGISTRY_AUTH_FILE": nil, "XDG_RUNTIME_DIR": nil, "XDG_CONFIG_HOME": nil, "NETRC": nil, "GITHUB_TOKEN": nil,
                "STEVEDORE_REGISTRY_USERNAME": nil, "STEVEDORE_REGISTRY_PASSWORD": nil, "STEVEDORE_CACHE_DIR": directory.appending("cache"),
            ],
            timeout: 300
        )
        #expect(push.status == 77, "\(push.output)\n\(registry.log)")
        #expect(registry.log.contains("POST /v2/acme/app/blobs/uploads/"), "the registry saw no upload:\n\(registry.log)")
        let error = push.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(error.hasPrefix("error: ghcr.io denied anonymous access permission to push to acme/app"), "\(push.stderr)")
        #expect(error.contains("DENIED: permission_denied: write_package"), "\(push.stderr)")
        #expect(error.contains("needs `permissions: packages: write`"), "\(push.stderr)")
        #expect(error.contains("Manage Actions access"), "\(push.stderr)")
    }
}
