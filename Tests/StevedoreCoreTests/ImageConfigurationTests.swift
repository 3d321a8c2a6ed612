import Foundation
import Testing
@testable import StevedoreCore

struct ImageConfigurationTests {
    /// A configuration as `docker build` writes it: nulls, fields Stevedore does not model, a health check.
    static let dockerConfiguration = """
    {"architecture":"arm64","variant":"v8","os":"linux","created":"2024-05-01T10:00:00.123456789Z","author":"someone",
     "docker_version":"24.0.7","container":"abc","container_config":{"Hostname":"abc"},
     "config":{"Hostname":"","Domainname":"","User":"nobody","AttachStdin":false,"ExposedPorts":{"80/tcp":{},"443/tcp":{}},
       "Tty":false,"Env":["PATH=/usr/sbin:/usr/bin","NGINX_VERSION=1.25.3"],"Cmd":["nginx","-g","daemon off;"],
       "Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"],"Interval":30000000000,"Timeout":5000000000,"StartPeriod":1000000000,"Retries":3},
       "ArgsEscaped":true,"Image":"sha256:x","Volumes":null,"WorkingDir":"","Entrypoint":["/docker-entrypoint.sh"],
       "OnBuild":null,"Labels":{"maintainer":"NGINX Docker Maintainers"},"StopSignal":"SIGQUIT","Shell":["/bin/sh","-c"]},
     "rootfs":{"type":"layers","diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"]},
     "history":[{"created":"2024-05-01T10:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / "},
                {"created":"2024-05-01T10:00:01Z","created_by":"/bin/sh -c #(nop)  CMD [\\"bash\\"]","empty_layer":true}]}
    """

    @Test func decodesADockerBuiltConfiguration() throws {
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: Data(Self.dockerConfiguration.utf8), what: "config")
        #expect(configuration.platform == Platform(os: "linux", architecture: "arm64", variant: "v8"))
        #expect(configuration.author == "someone")
        #expect(configuration.created == "2024-05-01T10:00:00.123456789Z")
        let config = try #require(configuration.config)
        #expect(config.user == "nobody")
        #expect(config.exposedPorts.map { Set($0.keys) } == ["80/tcp", "443/tcp"])
        #expect(config.env == ["PATH=/usr/sbin:/usr/bin", "NGINX_VERSION=1.25.3"])
        #expect(config.cmd == ["nginx", "-g", "daemon off;"])
        #expect(config.entrypoint == ["/docker-entrypoint.sh"])
        #expect(config.volumes == nil)
        #expect(config.onBuild == nil)
        #expect(config.workingDir == "")
        #expect(config.labels == ["maintainer": "NGINX Docker Maintainers"])
        #expect(config.stopSignal == "SIGQUIT")
        #expect(config.argsEscaped == true)
        #expect(config.shell == ["/bin/sh", "-c"])
        #expect(config.healthcheck?.interval == 30_000_000_000)
        #expect(config.healthcheck?.retries == 3)
        #expect(configuration.rootfs.type == "layers")
        #expect(configuration.rootfs.diffIDs.count == 1)
        #expect(configuration.history?.count == 2)
        #expect(configuration.history?[1].emptyLayer == true)
        #expect(configuration.history?[0].createdBy == "/bin/sh -c #(nop) ADD file:abc in / ")

        // Re-encoding keeps what is modelled, and is stable.
        let encoded = try CanonicalJSON.encode(configuration)
        let again = try CanonicalJSON.decode(ImageConfiguration.self, from: encoded, what: "again")
        #expect(again == configuration)
        #expect(try CanonicalJSON.encode(again) == encoded)
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""Healthcheck":{"Interval":30000000000,"Retries":3,"StartPeriod":1000000000,"Test":["CMD-SHELL","curl -f http://localhost/ || exit 1"],"Timeout":5000000000}"#))
        #expect(text.contains(#""ExposedPorts":{"443/tcp":{},"80/tcp":{}}"#))
        #expect(!text.contains("Hostname"))
    }

    @Test func platformCarriesOSVersionAndFeatures() throws {
        let text = #"{"architecture":"amd64","os":"windows","os.features":["win32k"],"os.version":"10.0.20348.2113","rootfs":{"diff_ids":[],"type":"layers"}}"#
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: Data(text.utf8), what: "config")
        #expect(configuration.platform.osVersion == "10.0.20348.2113")
        #expect(configuration.platform.osFeatures == ["win32k"])
        #expect(try CanonicalJSON.encode(configuration) == Data(text.utf8))
    }

    @Test func minimalConfigurationHasEmptyRootFS() throws {
        let configuration = ImageConfiguration(platform: try Platform(parsing: "linux/arm/v7"))
        let text = String(decoding: try CanonicalJSON.encode(configuration), as: UTF8.self)
        #expect(text == #"{"architecture":"arm","os":"linux","rootfs":{"diff_ids":[],"type":"layers"},"variant":"v7"}"#)
    }

    @Test func rejectsAnInvalidDiffID() {
        let text = #"{"architecture":"amd64","os":"linux","rootfs":{"diff_ids":["sha256:short"],"type":"layers"}}"#
        #expect {
            try CanonicalJSON.decode(ImageConfiguration.self, from: Data(text.utf8), what: "configuration sha256:abc")
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidDigest && error.message.hasPrefix("configuration sha256:abc") && error.message.contains("sha256:short")
        }
    }
}
