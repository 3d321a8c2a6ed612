import Foundation
import StevedoreAuth
import StevedoreTestSupport
import Testing
import StevedoreCore

struct CredentialResolverTests {
    @Test("explicit credentials win, for their registry only")
    func explicitFirst() throws {
        let home = try TemporaryDirectory()
        let explicit = Credential(username: "me", secret: "flag-secret", origin: "--password-stdin")
        let resolver = CredentialResolver(
            explicit: ("ghcr.io", explicit),
            environment: ["GITHUB_TOKEN": "gh-token", "HOME": home.path], homeDirectory: home.path
        )
        #expect(try resolver.credential(for: "ghcr.io") == explicit)
        #expect(try resolver.credential(for: "quay.io") == nil)
    }

    @Test("STEVEDORE_REGISTRY_USERNAME/PASSWORD go to STEVEDORE_REGISTRY, else to the push target only")
    func environmentVariables() throws {
        let home = try TemporaryDirectory()
        let unscoped = CredentialResolver(environment: ["STEVEDORE_REGISTRY_USERNAME": "u", "STEVEDORE_REGISTRY_PASSWORD": "p"], homeDirectory: home.path)
        #expect(try unscoped.credential(for: "example.com") == nil)
        let pushTarget = CredentialResolver(environmentRegistry: "corp.example", environment: ["STEVEDORE_REGISTRY_USERNAME": "u", "STEVEDORE_REGISTRY_PASSWORD": "p"], homeDirectory: home.path)
        #expect(try pushTarget.credential(for: "corp.example")?.username == "u")
        #expect(try pushTarget.credential(for: "CORP.example:443")?.username == "u")
        #expect(try pushTarget.credential(for: "docker.io") == nil)
        #expect(try pushTarget.credential(for: "registry-1.docker.io") == nil)
        let limited = CredentialResolver(environment: ["STEVEDORE_REGISTRY_USERNAME": "u", "STEVEDORE_REGISTRY_PASSWORD": "p", "STEVEDORE_REGISTRY": "a.example"], homeDirectory: home.path)
        #expect(try limited.credential(for: "b.example") == nil)
        #expect(try limited.credential(for: "a.example")?.secret == "p")
        let named = CredentialResolver(environmentRegistry: "b.example", environment: ["STEVEDORE_REGISTRY_USERNAME": "u", "STEVEDORE_REGISTRY_PASSWORD": "p", "STEVEDORE_REGISTRY": "a.example"], homeDirectory: home.path)
        #expect(try named.credential(for: "b.example") == nil)
    }

    @Test("registry names compare case-insensitively, :443 being no port")
    func registryNameNormalisation() throws {
        let home = try TemporaryDirectory()
        let resolver = CredentialResolver(environment: ["GITHUB_TOKEN": "ghs_x"], homeDirectory: home.path)
        #expect(try resolver.credential(for: "GHCR.IO")?.secret == "ghs_x")
        #expect(try resolver.credential(for: "ghcr.io:443")?.secret == "ghs_x")
        #expect(try resolver.credential(for: "ghcr.io:5000") == nil)
        #expect(CredentialResolver.sameRegistry("Host.Example:443", "host.example"))
    }

    @Test("GITHUB_TOKEN for ghcr.io, with GITHUB_ACTOR or a placeholder user")
    func gitHubToken() throws {
        let home = try TemporaryDirectory()
        let withActor = CredentialResolver(environment: ["GITHUB_TOKEN": "ghs_x", "GITHUB_ACTOR": "octocat"], homeDirectory: home.path)
        #expect(try withActor.credential(for: "ghcr.io") == Credential(username: "octocat", secret: "ghs_x", origin: "GITHUB_TOKEN"))
        #expect(try withActor.credential(for: "docker.io") == nil)
        let withoutActor = CredentialResolver(environment: ["GITHUB_TOKEN": "ghs_x"], homeDirectory: home.path)
        #expect(try withoutActor.credential(for: "ghcr.io")?.username == CredentialResolver.gitHubPlaceholderUser)
    }

    @Test("docker config.json: credHelpers, auths (auth or username/password), credsStore; Docker Hub's key")
    func dockerConfig() throws {
        let home = try TemporaryDirectory()
        let bin = home.appending("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try home.write("bin/docker-credential-fake", """
            #!/bin/sh
            read server
            if [ "$server" = "helper.example" ]; then echo '{"ServerURL":"helper.example","Username":"helper-user","Secret":"helper-secret"}'; exit 0; fi
            if [ "$server" = "store.example" ]; then echo '{"ServerURL":"store.example","Username":"store-user","Secret":"store-secret"}'; exit 0; fi
            echo "credentials not found in native keychain"; exit 1
            """, mode: 0o755)
        let auth = Data("hub-user:hub-secret".utf8).base64EncodedString()
        try home.write("docker/config.json", """
            {"auths": {"https://index.docker.io/v1/": {"auth": "\(auth)"}, "plain.example": {"username": "pu", "password": "pp"}},
             "credHelpers": {"helper.example": "fake"}, "credsStore": "fake"}
            """)
        let resolver = CredentialResolver(environment: ["DOCKER_CONFIG": home.appending("docker"), "PATH": "\(bin):/usr/bin:/bin"], homeDirectory: home.path)
        #expect(try resolver.credential(for: "docker.io")?.secret == "hub-secret")
        #expect(try resolver.credential(for: "plain.example")?.username == "pu")
        #expect(try resolver.credential(for: "helper.example") == Credential(username: "helper-user", secret: "helper-secret", origin: "docker-credential-fake"))
        #expect(try resolver.credential(for: "store.example")?.secret == "store-secret")
        #expect(try resolver.credential(for: "unknown.example") == nil)
    }

    /// A resolver whose docker config names `docker-credential-NAME` (a shell script with `body`) for `registry`.
    static func resolver(helper body: String, registry: String, in home: TemporaryDirectory) throws -> CredentialResolver {
        try FileManager.default.createDirectory(atPath: home.appending("bin"), withIntermediateDirectories: true)
        try home.write("bin/docker-credential-odd", "#!/bin/sh\n" + body + "\n", mode: 0o755)
        try home.write("docker/config.json", #"{"credHelpers": {"\#(registry)": "odd"}}"#)
        var resolver = CredentialResolver(environment: ["DOCKER_CONFIG": home.appending("docker"), "PATH": "\(home.appending("bin")):/usr/bin:/bin"], homeDirectory: home.path)
        resolver.helperTimeout = .seconds(20)
        return resolver
    }

    /// Issue 13: a helper that fetches credentials over the network needs the proxy variables, as given.
    @Test func helpersGetTheProxyVariables() throws {
        let home = try TemporaryDirectory()
        var resolver = try Self.resolver(helper: #"read server; printf '{"Username":"%s %s","Secret":"%s"}' "$HTTPS_PROXY" "$no_proxy" "$http_proxy""#, registry: "proxied.example", in: home)
        resolver.environment["HTTPS_PROXY"] = "http://user:p%40ss@proxy.example:3128"
        resolver.environment["http_proxy"] = "http://proxy.example:8080"
        resolver.environment["no_proxy"] = "10.0.0.0/8,.internal"
        let credential = try resolver.credential(for: "proxied.example")
        #expect(credential?.username == "http://user:p%40ss@proxy.example:3128 10.0.0.0/8,.internal")
        #expect(credential?.secret == "http://proxy.example:8080")
    }

    @Test("a helper that closes standard input without reading it still answers", arguments: 0..<5)
    func helperClosingStandardInput(round: Int) throws {
        let home = try TemporaryDirectory()
        let resolver = try Self.resolver(helper: #"exec 0<&-; echo '{"Username":"u","Secret":"s"}'"#, registry: "closed.example", in: home)
        #expect(try resolver.credential(for: "closed.example") == Credential(username: "u", secret: "s", origin: "docker-credential-odd"))
    }

    @Test("a helper that floods standard error and fails ends with an error, not a deadlock")
    func helperFloodingStandardError() throws {
        let home = try TemporaryDirectory()
        let resolver = try Self.resolver(helper: "read server; head -c 204800 /dev/zero >&2; exit 2", registry: "flood.example", in: home)
        let error = #expect(throws: StevedoreError.self) { try resolver.credential(for: "flood.example") }
        #expect(error?.message == "docker-credential-odd get failed for flood.example (exit status 2); run `docker-credential-odd get` by hand to see why")
        let answering = try Self.resolver(helper: #"read server; head -c 204800 /dev/zero >&2; echo '{"Username":"u","Secret":"s"}'"#, registry: "flood.example", in: home)
        #expect(try answering.credential(for: "flood.example")?.secret == "s")
    }

    @Test("a helper that hangs is stopped at the timeout with an error that names it")
    func helperHanging() throws {
        let home = try TemporaryDirectory()
        var resolver = try Self.resolver(helper: "sleep 1000", registry: "hang.example", in: home)
        resolver.helperTimeout = .milliseconds(500)
        let started = ContinuousClock.now
        let error = #expect(throws: StevedoreError.self) { try resolver.credential(for: "hang.example") }
        #expect(error?.code == .helperFailed)
        #expect(error?.message == "docker-credential-odd get did not answer for hang.example within 0.5 s and was stopped; run `docker-credential-odd get` by hand to see what it waits for")
        // Stopped, not waited out: the child would run for 1000 s (or forever). The bound is loose on purpose,
        // so that a busy machine does not make it fail.
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test("podman auth.json through REGISTRY_AUTH_FILE, then ~/.netrc")
    func podmanThenNetrc() throws {
        let home = try TemporaryDirectory()
        let auth = Data("pod-user:pod-secret".utf8).base64EncodedString()
        try home.write("auth.json", #"{"auths": {"quay.io": {"auth": "\#(auth)"}}}"#)
        try home.write(".netrc", "machine registry.example:5000 login nobody password wrong\nmachine registry.example login net-user password net-secret\ndefault login anon password anon-secret\n")
        let resolver = CredentialResolver(environment: ["REGISTRY_AUTH_FILE": home.appending("auth.json")], homeDirectory: home.path)
        #expect(try resolver.credential(for: "quay.io")?.username == "pod-user")
        #expect(try resolver.credential(for: "registry.example:5000") == Credential(username: "net-user", secret: "net-secret", origin: home.appending(".netrc")))
        // The `default` entry would go to every registry: only on request.
        #expect(try resolver.credential(for: "other.example") == nil)
        let withDefault = CredentialResolver(environment: ["REGISTRY_AUTH_FILE": home.appending("auth.json"), "STEVEDORE_NETRC_DEFAULT": "1"], homeDirectory: home.path)
        #expect(try withDefault.credential(for: "other.example")?.username == "anon")
    }

    @Test("a broken config file is an error that names it; descriptions never show the secret")
    func brokenFileAndDescriptions() throws {
        let home = try TemporaryDirectory()
        try home.write(".docker/config.json", "{not json")
        let resolver = CredentialResolver(environment: [:], homeDirectory: home.path)
        #expect(throws: StevedoreError.self) { try resolver.credential(for: "x.example") }
        let credential = Credential(username: "u", secret: "very-secret", origin: "test")
        #expect(!"\(credential)".contains("very-secret"))
        #expect(!String(reflecting: credential).contains("very-secret"))
    }

    @Test("DockerConfigFile keeps other entries and writes mode 0600")
    func storeKeepsOtherEntries() throws {
        let home = try TemporaryDirectory()
        let path = try home.write("docker/config.json", #"{"auths": {"other.example": {"auth": "eDp5"}}, "credsStore": ""}"#)
        try DockerConfigFile(path: path).store(Credential(username: "u", secret: "s", origin: "test"), for: "new.example")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let auths = object?["auths"] as? [String: Any]
        #expect(auths?.keys.sorted() == ["new.example", "other.example"])
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let resolver = CredentialResolver(environment: ["DOCKER_CONFIG": home.appending("docker")], homeDirectory: home.path)
        #expect(try resolver.credential(for: "new.example")?.secret == "s")
    }
}
