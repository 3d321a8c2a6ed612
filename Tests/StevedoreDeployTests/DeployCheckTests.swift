import Foundation
import StevedoreCore
import StevedoreDeploy
import StevedoreTestSupport
import Testing

/// One fixture (deploy.yml, secrets, environment, registry) and the one finding it must produce.
struct DeployCheckCase: Sendable, CustomTestStringConvertible {
    var name: String
    var fixture: DeployFixture
    var registry: RegistryFixture = .pushed
    var allowUnverifiedSecrets = false
    var expected: DeployFinding

    var testDescription: String { name }
}

private let config = "config/deploy.yml"

private func yaml(_ old: String, _ new: String) -> DeployFixture {
    var fixture = DeployFixture()
    fixture.files[config] = DeployFixture.deployYAML(replacing: old, with: new)
    return fixture
}

private func secrets(_ text: String?) -> DeployFixture {
    var fixture = DeployFixture()
    fixture.files[".kamal/secrets"] = text
    return fixture
}

private func environment(_ change: (inout [String: String]) -> Void) -> DeployFixture {
    var fixture = DeployFixture()
    change(&fixture.environment)
    return fixture
}

let deployCheckCases: [DeployCheckCase] = [
    DeployCheckCase(
        name: "registry.server differs from the registry pushed to",
        fixture: yaml("server: ghcr.io", "server: docker.io"),
        expected: DeployFinding(.error, key: "registry.server", message: "registry.server is 'docker.io' in config/deploy.yml, but the image was pushed to 'ghcr.io'", fix: "set registry.server: ghcr.io")
    ),
    DeployCheckCase(
        name: "registry.server missing",
        fixture: yaml("  server: ghcr.io\n", ""),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts]),
        expected: DeployFinding(.error, key: "registry.server", message: "registry.server is not set in config/deploy.yml, so Kamal would pull the image from Docker Hub", fix: "set registry.server: ghcr.io")
    ),
    DeployCheckCase(
        name: "image repeats the registry",
        fixture: yaml("image: owner/hello", "image: ghcr.io/owner/hello"),
        expected: DeployFinding(.error, key: "image", message: "image 'ghcr.io/owner/hello' starts with the registry 'ghcr.io'; Kamal puts registry.server in front itself and would pull 'ghcr.io/ghcr.io/owner/hello:\(DeployFixture.sha)'", fix: "set image: owner/hello (the registry belongs in registry.server only)")
    ),
    DeployCheckCase(
        name: "image has capitals",
        fixture: yaml("image: owner/hello", "image: Owner/Hello"),
        expected: DeployFinding(.error, key: "image", message: "image 'Owner/Hello' has capital letters; registries accept only lowercase repository paths and Kamal does not check", fix: "set image: owner/hello")
    ),
    DeployCheckCase(
        name: "image carries a tag",
        fixture: yaml("image: owner/hello", "image: owner/hello:latest"),
        expected: DeployFinding(.error, key: "image", message: "image 'owner/hello:latest' carries a tag or digest; Kamal appends :<version> itself", fix: "set image: owner/hello and choose the version with --tag")
    ),
    DeployCheckCase(
        name: "image differs from the repository pushed to",
        fixture: yaml("image: owner/hello", "image: owner/other"),
        expected: DeployFinding(.error, key: "image", message: "image is 'owner/other' in config/deploy.yml, but the image was pushed to 'ghcr.io/owner/hello'", fix: "set image: owner/hello")
    ),
    DeployCheckCase(
        name: "image missing",
        fixture: yaml("image: owner/hello\n", ""),
        expected: DeployFinding(.error, key: "image", message: "image is not set in config/deploy.yml", fix: "set image: owner/hello")
    ),
    DeployCheckCase(
        name: "registry.username missing",
        fixture: yaml("  username: owner\n", ""),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.username", message: "registry.username is not set in config/deploy.yml; Kamal logs in to the registry on every host with it", fix: "set registry.username: owner")
    ),
    DeployCheckCase(
        name: "registry.password missing",
        fixture: yaml("  password:\n    - KAMAL_REGISTRY_PASSWORD\n", ""),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "registry.password is not set in config/deploy.yml; Kamal could not log in to the registry on the hosts", fix: "set registry.password: [KAMAL_REGISTRY_PASSWORD] and add KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN to .kamal/secrets")
    ),
    DeployCheckCase(
        name: "registry.password written literally",
        fixture: yaml("  password:\n    - KAMAL_REGISTRY_PASSWORD\n", "  password: ghp_literal\n"),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "registry.password is written literally in config/deploy.yml, so the password is in the repository", fix: "revoke that token, set registry.password: [KAMAL_REGISTRY_PASSWORD] and add KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN to .kamal/secrets")
    ),
    DeployCheckCase(
        name: "the password secret is not defined",
        fixture: secrets("OTHER_SECRET=$GITHUB_TOKEN\n"),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "registry.password names the secret KAMAL_REGISTRY_PASSWORD, which is not defined in .kamal/secrets", fix: "add KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN to .kamal/secrets")
    ),
    DeployCheckCase(
        name: "no secrets file at all",
        fixture: secrets(nil),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "registry.password names the secret KAMAL_REGISTRY_PASSWORD, which is not defined in any secrets file: none of .kamal/secrets-common, .kamal/secrets exists", fix: "add KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN to .kamal/secrets")
    ),
    DeployCheckCase(
        name: "GITHUB_TOKEN unset makes the password empty",
        fixture: environment { $0["GITHUB_TOKEN"] = nil },
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "KAMAL_REGISTRY_PASSWORD (.kamal/secrets line 1) expands $GITHUB_TOKEN, which is empty or unset in this environment; Kamal would not stop but run `docker login` with an empty password on every host", fix: "export GITHUB_TOKEN (a token that can read the package) before deploying")
    ),
    DeployCheckCase(
        name: "the password secret is written empty",
        fixture: secrets("# registry\nKAMAL_REGISTRY_PASSWORD=\n"),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "KAMAL_REGISTRY_PASSWORD is empty (.kamal/secrets line 2); Kamal would not stop but run `docker login` with an empty password on every host", fix: "set KAMAL_REGISTRY_PASSWORD=$GITHUB_TOKEN in .kamal/secrets")
    ),
    DeployCheckCase(
        name: "command substitution cannot be verified",
        fixture: secrets("KAMAL_REGISTRY_PASSWORD=$(op read op://vault/ghcr/token)\n"),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.password", message: "KAMAL_REGISTRY_PASSWORD (.kamal/secrets line 1) uses command substitution $(…), which Stevedore does not run, so its value cannot be checked", fix: "pass --allow-unverified-secrets to deploy anyway, or define KAMAL_REGISTRY_PASSWORD from an environment variable")
    ),
    DeployCheckCase(
        name: "command substitution allowed becomes a warning",
        fixture: secrets("KAMAL_REGISTRY_PASSWORD=$(op read op://vault/ghcr/token)\n"),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        allowUnverifiedSecrets: true,
        expected: DeployFinding(.warning, key: "registry.password", message: "KAMAL_REGISTRY_PASSWORD (.kamal/secrets line 1) uses command substitution $(…), which Stevedore does not run, so its value cannot be checked", fix: "none needed: --allow-unverified-secrets is set and Kamal evaluates it")
    ),
    DeployCheckCase(
        name: "builder.arch missing",
        fixture: yaml("builder:\n  arch: amd64\n", ""),
        expected: DeployFinding(.error, key: "builder.arch", message: "builder.arch is not set in config/deploy.yml; Kamal 2 requires it even with --skip-push", fix: "set builder.arch: amd64")
    ),
    DeployCheckCase(
        name: "builder.arch names an architecture the image lacks",
        fixture: yaml("arch: amd64", "arch:\n    - amd64\n    - arm64"),
        expected: DeployFinding(.error, key: "builder.arch", message: "builder.arch lists arm64, but ghcr.io/owner/hello:\(DeployFixture.sha) has only linux/amd64; hosts running arm64 would fail to pull it", fix: "push one index that has linux/arm64 too: push-image with one --swift-sdk per platform, or the runner matrix of `stevedore init github-actions --platforms` (push-image --platform-tag, then `stevedore index create`); or remove arm64 from builder.arch")
    ),
    DeployCheckCase(
        name: "the image lacks the service label",
        fixture: DeployFixture(),
        registry: RegistryFixture(tags: [DeployFixture.sha: PushedImageFacts(digest: DeployFixture.digest, images: [.init(platform: Platform(os: "linux", architecture: "amd64"), labels: [:])])]),
        expected: DeployFinding(.error, key: "service", message: "the linux/amd64 image of ghcr.io/owner/hello:\(DeployFixture.sha) lacks the label service=helloserver (it has no service label); Kamal refuses to deploy it", fix: "build and push again with config/deploy.yml in place (push-image then adds service=helloserver), or set the label service=helloserver explicitly")
    ),
    DeployCheckCase(
        name: "the image is labelled for another service",
        fixture: DeployFixture(),
        registry: RegistryFixture(tags: [DeployFixture.sha: PushedImageFacts(digest: DeployFixture.digest, images: [.init(platform: Platform(os: "linux", architecture: "amd64"), labels: ["service": "other"])])]),
        expected: DeployFinding(.error, key: "service", message: "the linux/amd64 image of ghcr.io/owner/hello:\(DeployFixture.sha) lacks the label service=helloserver (its label is service=other); Kamal refuses to deploy it", fix: "build and push again with config/deploy.yml in place (push-image then adds service=helloserver), or set the label service=helloserver explicitly")
    ),
    DeployCheckCase(
        name: "service missing",
        fixture: yaml("service: helloserver\n", ""),
        expected: DeployFinding(.error, key: "service", message: "service is not set in config/deploy.yml", fix: "set service: <the product name, in lowercase>")
    ),
    DeployCheckCase(
        name: "the tag is not in the registry",
        fixture: DeployFixture(),
        registry: RegistryFixture(tags: [:]),
        expected: DeployFinding(.error, key: "tag", message: "tag \(DeployFixture.sha) (from GITHUB_SHA) is not in ghcr.io/owner/hello: the registry answered that the manifest does not exist", fix: "run push-image for this commit first, or pass --tag with a tag that was pushed")
    ),
    DeployCheckCase(
        name: "the registry refuses the credentials Kamal would use",
        fixture: yaml("username: owner", "username: someone-else"),
        expected: DeployFinding(.error, key: "tag", message: "could not look up ghcr.io/owner/hello:\(DeployFixture.sha) in the registry: 401 Unauthorized from ghcr.io", fix: "check the network and the credentials Kamal uses (registry.username and the KAMAL_REGISTRY_PASSWORD secret)")
    ),
    DeployCheckCase(
        name: "ERB that is not evaluated in a checked key",
        fixture: yaml("image: owner/hello", "image: <%= `git remote get-url origin` %>"),
        expected: DeployFinding(.error, key: "image", message: "<%= `git remote get-url origin` %> (config/deploy.yml line 2) is ERB that Stevedore does not evaluate (it evaluates only ENV[\"NAME\"] and ENV.fetch(\"NAME\"[, \"default\"])), so this value cannot be checked", fix: "write the value literally, or use <%= ENV[\"NAME\"] %> / <%= ENV.fetch(\"NAME\") %>")
    ),
    DeployCheckCase(
        name: "ENV.fetch of an unset variable",
        fixture: yaml("username: owner", "username: <%= ENV.fetch(\"REGISTRY_USER\") %>"),
        registry: RegistryFixture(tags: [DeployFixture.sha: DeployFixture.facts], requiredLogin: nil),
        expected: DeployFinding(.error, key: "registry.username", message: "<%= ENV.fetch(\"REGISTRY_USER\") %> (config/deploy.yml line 8) needs REGISTRY_USER, which is not set in this environment; Kamal would stop with KeyError", fix: "export REGISTRY_USER before deploying, or give a default: ENV.fetch(\"REGISTRY_USER\", \"…\")")
    ),
]

@Suite(.dedicatedThread) struct DeployCheckTests {
    private func report(
        _ fixture: DeployFixture, registry: RegistryFixture = .pushed, allowUnverifiedSecrets: Bool = false,
        pushed: ImageReference? = DeployFixture.pushed, recorder: LoginRecorder? = nil
    ) async throws -> DeployCheckReport {
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: fixture.environment)
        let secrets = try KamalSecrets.load(packageDirectory: directory.path, environment: fixture.environment)
        let check = DeployCheck(
            configuration: configuration, secrets: secrets,
            tag: DeployTag(DeployFixture.sha, source: .githubSHA),
            pushedRepository: pushed, allowUnverifiedSecrets: allowUnverifiedSecrets
        )
        if let recorder { return await check.run(inspector: RecordingInspector(registry: registry, recorder: recorder)) }
        return await check.run(inspector: registry)
    }

    @Test func aMatchingConfigurationPassesEveryCheck() async throws {
        let report = try await report(DeployFixture())
        #expect(report.findings == [])
        #expect(!report.hasErrors)
        #expect(report.image?.description == "ghcr.io/owner/hello:\(DeployFixture.sha)@\(DeployFixture.digest)")
        #expect(report.secretEnvironment == ["KAMAL_REGISTRY_PASSWORD": DeployFixture.token])
        #expect(report.passed == [
            "registry.server is ghcr.io, the registry pushed to",
            "image is owner/hello, the repository pushed to",
            "registry.username is owner",
            "registry.password: the secret KAMAL_REGISTRY_PASSWORD from .kamal/secrets line 1 is set (value hidden)",
            "ghcr.io/owner/hello:\(DeployFixture.sha) exists: \(DeployFixture.digest) (linux/amd64)",
            "builder.arch amd64 is in the image",
            "the linux/amd64 image has the label service=helloserver",
        ])
        #expect(!report.passed.joined().contains(DeployFixture.token))
    }

    @Test(arguments: deployCheckCases)
    func eachProblemIsReportedWithItsKeyAndFix(_ testCase: DeployCheckCase) async throws {
        let report = try await report(testCase.fixture, registry: testCase.registry, allowUnverifiedSecrets: testCase.allowUnverifiedSecrets)
        #expect(report.findings.contains(testCase.expected), "findings: \(report.findings)")
        #expect(report.hasErrors == (testCase.expected.severity == .error))
        for finding in report.findings {
            #expect(!finding.description.contains(DeployFixture.token))
            #expect(!finding.description.contains("ghp_literal"))
        }
    }

    @Test func theSameCredentialsReachTheRegistry() async throws {
        // RegistryFixture throws unless it gets exactly owner + the token from $GITHUB_TOKEN.
        let report = try await report(DeployFixture(), registry: .pushed)
        #expect(report.facts == DeployFixture.facts)
    }

    /// Issue 9, item 12: Kamal's password is for registry.server only; a lookup in the registry the image was
    /// pushed to, when that is another one, goes without it.
    @Test func kamalsPasswordGoesOnlyToRegistryServer() async throws {
        let recorder = LoginRecorder()
        _ = try await report(yaml("server: ghcr.io", "server: registry.example.com"), registry: .pushed, recorder: recorder)
        #expect(await recorder.logins == [LoginRecorder.Entry(registry: "ghcr.io", login: nil)])
        let same = LoginRecorder()
        _ = try await report(DeployFixture(), registry: .pushed, recorder: same)
        #expect(await same.logins == [LoginRecorder.Entry(registry: "ghcr.io", login: KamalRegistryLogin(username: "owner", password: DeployFixture.token))])
    }

    @Test func withoutAKnownPushTheComparisonIsSkippedWithAWarning() async throws {
        let report = try await report(DeployFixture(), pushed: nil)
        #expect(report.findings == [
            DeployFinding(.warning, key: "image", message: "no pushed image is known (no --image, no .build/stevedore/pushed-image, no GITHUB_REPOSITORY, no GitHub origin remote), so registry.server and image were not compared with a push", fix: "run push-image first, or pass --image REGISTRY/REPOSITORY"),
        ])
        #expect(report.facts == DeployFixture.facts)
    }

    @Test func anIndexIsCheckedPerArchitectureAndAttestationsAreIgnored() async throws {
        let fixture = yaml("arch: amd64", "arch: [amd64, arm64]")
        let facts = PushedImageFacts(digest: DeployFixture.digest, images: [
            .init(platform: Platform(os: "linux", architecture: "amd64"), labels: ["service": "helloserver"]),
            .init(platform: Platform(os: "linux", architecture: "arm64", variant: "v8"), labels: [:]),
            .init(platform: Platform(os: "unknown", architecture: "unknown"), labels: [:]),
        ])
        let report = try await report(fixture, registry: RegistryFixture(tags: [DeployFixture.sha: facts]))
        #expect(report.findings == [
            DeployFinding(.error, key: "service", message: "the linux/arm64/v8 image of ghcr.io/owner/hello:\(DeployFixture.sha) lacks the label service=helloserver (it has no service label); Kamal refuses to deploy it", fix: "build and push again with config/deploy.yml in place (push-image then adds service=helloserver), or set the label service=helloserver explicitly"),
        ])
    }

    @Test func withUnverifiedSecretsAllowedARefusedLookupIsAWarning() async throws {
        let fixture = secrets("KAMAL_REGISTRY_PASSWORD=$(op read op://vault/ghcr/token)\n")
        let allowed = try await report(fixture, registry: .pushed, allowUnverifiedSecrets: true)
        #expect(!allowed.hasErrors, "\(allowed.findings)")
        #expect(allowed.findings.contains(DeployFinding(.warning, key: "tag", message: "could not look up ghcr.io/owner/hello:\(DeployFixture.sha) in the registry without the password, which only Kamal computes: 401 Unauthorized from ghcr.io", fix: "none needed if the tag was pushed; Kamal logs in on the hosts itself")))
        #expect(allowed.secretEnvironment == [:])
        let refused = try await report(fixture, registry: .pushed, allowUnverifiedSecrets: false)
        #expect(refused.findings.filter { $0.severity == .error }.map(\.key) == ["registry.password", "tag"])
    }

    @Test func aMissingTagPointsAtTheLastRecordedPush() async throws {
        let fixture = DeployFixture()
        let directory = try fixture.materialize()
        let check = DeployCheck(
            configuration: try KamalConfiguration.load(packageDirectory: directory.path, environment: fixture.environment),
            secrets: try KamalSecrets.load(packageDirectory: directory.path, environment: fixture.environment),
            tag: DeployTag(DeployFixture.sha, source: .githubSHA),
            pushedRepository: DeployFixture.pushed,
            record: PushedImageRecord(reference: DeployFixture.pushed.with(tag: "v1.0.0"), digest: DeployFixture.digest)
        )
        let report = await check.run(inspector: RegistryFixture(tags: ["v1.0.0": DeployFixture.facts]))
        #expect(report.findings == [
            DeployFinding(.error, key: "tag", message: "tag \(DeployFixture.sha) (from GITHUB_SHA) is not in ghcr.io/owner/hello: the registry answered that the manifest does not exist", fix: "run push-image for this commit first, or pass --tag v1.0.0 to deploy the last push recorded in .build/stevedore/pushed-image"),
        ])
    }

    @Test func aRecordedDigestThatNoLongerMatchesIsAWarning() async throws {
        let directory = try DeployFixture().materialize()
        let fixture = DeployFixture()
        let other = Digest.sha256(of: Array("older".utf8))
        let check = DeployCheck(
            configuration: try KamalConfiguration.load(packageDirectory: directory.path, environment: fixture.environment),
            secrets: try KamalSecrets.load(packageDirectory: directory.path, environment: fixture.environment),
            tag: DeployTag(DeployFixture.sha, source: .githubSHA),
            pushedRepository: DeployFixture.pushed,
            record: PushedImageRecord(reference: DeployFixture.pushed.with(tag: DeployFixture.sha), digest: other)
        )
        let report = await check.run(inspector: RegistryFixture.pushed)
        #expect(report.findings == [
            DeployFinding(.warning, key: "tag", message: "ghcr.io/owner/hello:\(DeployFixture.sha) is now \(DeployFixture.digest), but the last push recorded \(other) in .build/stevedore/pushed-image", fix: "push again, or check who else pushes this tag"),
        ])
    }
}

/// Which login reached which registry.
actor LoginRecorder {
    struct Entry: Equatable, Sendable {
        var registry: String
        var login: KamalRegistryLogin?
    }

    private(set) var logins: [Entry] = []

    func record(_ registry: String, _ login: KamalRegistryLogin?) { logins.append(Entry(registry: registry, login: login)) }
}

/// A registry fixture that records the login of every lookup.
struct RecordingInspector: PushedImageInspector {
    var registry: RegistryFixture
    var recorder: LoginRecorder

    func inspect(_ reference: ImageReference, login: KamalRegistryLogin?) async throws -> PushedImageFacts? {
        await recorder.record(reference.registry, login)
        return try await registry.inspect(reference, login: login)
    }
}
