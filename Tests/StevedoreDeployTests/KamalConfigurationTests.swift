import Foundation
import StevedoreDeploy
import StevedoreTestSupport
import Testing
import StevedoreCore

@Suite(.dedicatedThread) struct KamalConfigurationTests {
    @Test func theDestinationFileIsDeepMergedOverTheBase() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.staging.yml"] = """
        servers:
          web:
            - 198.51.100.7
        registry:
          server: registry.example.com
        builder:
          arch: [amd64, arm64]
        env:
          clear:
            STAGE: staging

        """
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, destination: "staging", environment: [:])
        #expect(configuration.files == ["config/deploy.yml", "config/deploy.staging.yml"])
        #expect(configuration.registryServer == "registry.example.com")
        // Mappings merge key by key: the rest of `registry` stays.
        #expect(configuration.registryUsername == .literal("owner"))
        #expect(configuration.registryPassword == .secret("KAMAL_REGISTRY_PASSWORD"))
        // Sequences are replaced, not appended.
        #expect(configuration.values.value(at: "servers.web") == .sequence([.scalar("198.51.100.7")]))
        #expect(configuration.builderArchitectures == ["amd64", "arm64"])
        #expect(configuration.values.value(at: "env.clear.STAGE") == .scalar("staging"))
        #expect(configuration.service == "helloserver")
    }

    @Test(arguments: [
        ("config/deploy.yml", "staging", "config/deploy.staging.yml"),
        ("config/kamal.yaml", "prod", "config/kamal.prod.yaml"),
        ("deploy.yml", "eu", "deploy.eu.yml"),
    ])
    func destinationFileNames(base: String, destination: String, expected: String) {
        #expect(KamalConfiguration.destinationFile(for: base, destination: destination) == expected)
    }

    @Test func aMissingDestinationFileStopsAsItDoesInKamal() throws {
        let directory = try DeployFixture().materialize()
        #expect(throws: StevedoreError(.configurationNotFound, "config/deploy.prod.yml not found: the destination 'prod' needs it, as it does for Kamal; create it or choose another destination with -d")) {
            try KamalConfiguration.load(packageDirectory: directory.path, destination: "prod", environment: [:])
        }
    }

    @Test func aMissingConfigurationSaysHowToCreateOne() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: StevedoreError(.configurationNotFound, "config/deploy.yml not found in \(directory.path); run `stevedore init kamal` to write one, or pass --config-file")) {
            try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        }
    }

    @Test func invalidYAMLIsReported() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = "service: [unclosed\n"
        let directory = try fixture.materialize()
        #expect {
            try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        } throws: { error in
            (error as? StevedoreError)?.code == .invalidConfiguration
                && (error as? StevedoreError)?.message.hasPrefix("config/deploy.yml is not valid YAML: ") == true
        }
    }

    @Test(arguments: [
        ("<%= ENV[\"APP_IMAGE\"] %>", "owner/from-env"),
        ("<%= ENV['APP_IMAGE'] %>", "owner/from-env"),
        ("<%= ENV.fetch(\"APP_IMAGE\") %>", "owner/from-env"),
        ("<%= ENV.fetch('APP_IMAGE', 'owner/default') %>", "owner/from-env"),
        ("<%= ENV.fetch(\"UNSET_IMAGE\", \"owner/default\") %>", "owner/default"),
        ("owner/<%# a comment %>hello", "owner/hello"),
        ("<%%= literal %>", "<%= literal %>"),
    ])
    func supportedERBIsEvaluated(template: String, expected: String) throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = DeployFixture.deployYAML(replacing: "image: owner/hello", with: "image: \"\(template)\"")
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: ["APP_IMAGE": "owner/from-env"])
        #expect(configuration.image == expected)
        #expect(configuration.findings == [])
    }

    @Test func ERBOutsideTheCheckedKeysIsAWarning() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = DeployFixture.deployYAML + "env:\n  clear:\n    RELEASE: <%= `git rev-parse HEAD` %>\n"
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        #expect(configuration.findings == [
            DeployFinding(.warning, key: "env.clear.RELEASE", message: "<%= `git rev-parse HEAD` %> (config/deploy.yml line 15) is ERB that Stevedore does not evaluate (it evaluates only ENV[\"NAME\"] and ENV.fetch(\"NAME\"[, \"default\"])), so this value cannot be checked", fix: "none needed if Kamal evaluates it as you expect; Stevedore does not check this key"),
        ])
    }

    @Test func ERBCodeTagsAreReportedByLine() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = DeployFixture.deployYAML + "<% if true -%>\nasset_path: /rails/public\n<% end -%>\n"
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        #expect(configuration.values.value(at: "asset_path") == .scalar("/rails/public"))
        #expect(configuration.findings.map(\.key) == ["config/deploy.yml line 13", "config/deploy.yml line 15"])
        #expect(configuration.findings.allSatisfy { $0.severity == .warning })
    }

    @Test func YAMLAnchorsAndMergeKeysResolve() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = """
        x-registry: &registry
          server: ghcr.io
          username: owner
        service: helloserver
        image: owner/hello
        registry:
          <<: *registry
          password: [KAMAL_REGISTRY_PASSWORD]
        builder:
          arch: &arch amd64
        accessories:
          db:
            arch: *arch

        """
        let directory = try fixture.materialize()
        let configuration = try KamalConfiguration.load(packageDirectory: directory.path, environment: [:])
        #expect(configuration.registryServer == "ghcr.io")
        #expect(configuration.registryUsername == .literal("owner"))
        #expect(configuration.registryPassword == .secret("KAMAL_REGISTRY_PASSWORD"))
        #expect(configuration.values.value(at: "accessories.db.arch") == .scalar("amd64"))
    }

    @Test func theServiceLabelComesFromDeployYMLWhenItExists() throws {
        let directory = try DeployFixture().materialize()
        #expect(try KamalConfiguration.serviceLabels(packageDirectory: directory.path, environment: [:]) == ["service": "helloserver"])
        let empty = try TemporaryDirectory()
        #expect(try KamalConfiguration.serviceLabels(packageDirectory: empty.path, environment: [:]) == [:])
    }

    @Test func secretsPathIsRead() throws {
        var fixture = DeployFixture()
        fixture.files["config/deploy.yml"] = DeployFixture.deployYAML + "secrets_path: config/secrets\n"
        let directory = try fixture.materialize()
        #expect(try KamalConfiguration.load(packageDirectory: directory.path, environment: [:]).secretsPath == "config/secrets")
    }
}
