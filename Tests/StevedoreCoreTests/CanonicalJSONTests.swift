import Foundation
import Testing
@testable import StevedoreCore

/// Golden bytes: if any of these change, every image digest Stevedore produces changes with them.
/// The pinned digests were computed with `sha256sum` over the golden text, independently of this code.
struct CanonicalJSONTests {
    static let epoch = "1970-01-01T00:00:00Z"

    static func goldenConfiguration() throws -> ImageConfiguration {
        var container = ImageConfiguration.ContainerConfiguration()
        container.user = "65532:65532"
        container.exposedPorts = ["9090/udp": EmptyObject(), "8080/tcp": EmptyObject()]
        container.env = ["PATH=/usr/local/bin:/usr/bin:/bin", "APP_ENV=production"]
        container.entrypoint = ["/app/server"]
        container.cmd = ["--port", "8080"]
        container.volumes = ["/data": EmptyObject()]
        container.workingDir = "/app"
        container.labels = ["org.opencontainers.image.source": "https://github.com/owner/repo", "Maintainer": "ops"]
        container.stopSignal = "SIGTERM"
        return ImageConfiguration(
            platform: try Platform(parsing: "linux/amd64"),
            config: container,
            rootfs: .init(diffIDs: [
                try Digest(parsing: "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                try Digest(parsing: "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ]),
            history: [
                .init(created: epoch, createdBy: "stevedore: /app/server", comment: "application"),
                .init(created: epoch, createdBy: "ENV APP_ENV=production", emptyLayer: true),
            ],
            created: epoch
        )
    }

    static let goldenConfigurationText = #"{"architecture":"amd64","config":{"Cmd":["--port","8080"],"Entrypoint":["/app/server"],"Env":["PATH=/usr/local/bin:/usr/bin:/bin","APP_ENV=production"],"ExposedPorts":{"8080/tcp":{},"9090/udp":{}},"Labels":{"Maintainer":"ops","org.opencontainers.image.source":"https://github.com/owner/repo"},"StopSignal":"SIGTERM","User":"65532:65532","Volumes":{"/data":{}},"WorkingDir":"/app"},"created":"1970-01-01T00:00:00Z","history":[{"comment":"application","created":"1970-01-01T00:00:00Z","created_by":"stevedore: /app/server"},{"created":"1970-01-01T00:00:00Z","created_by":"ENV APP_ENV=production","empty_layer":true}],"os":"linux","rootfs":{"diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],"type":"layers"}}"#
    static let goldenConfigurationDigest = "sha256:047e58d43678455c5e6495a562d55b7196e172342f687fb0152e17c3a81bf7f7"

    static let goldenLayer = "sha256:1f2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff001"
    static let goldenManifestText = #"{"config":{"digest":"sha256:047e58d43678455c5e6495a562d55b7196e172342f687fb0152e17c3a81bf7f7","mediaType":"application/vnd.oci.image.config.v1+json","size":816},"layers":[{"digest":"sha256:1f2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff001","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","size":1234}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2}"#
    static let goldenManifestDigest = "sha256:d54b1df01fc71a45c54354b52dc4e870b204d111a392be29886241336d95bf0e"

    @Test func configurationEncodesToGoldenBytes() throws {
        let data = try CanonicalJSON.encode(Self.goldenConfiguration())
        #expect(String(decoding: data, as: UTF8.self) == Self.goldenConfigurationText)
        #expect(data.count == 816)
        #expect(Digest.sha256(of: data).description == Self.goldenConfigurationDigest)
    }

    @Test func configurationEncodingIsStableAcrossRuns() throws {
        // Dictionaries iterate in a per-process random order; the encoding must not.
        let first = try CanonicalJSON.encode(Self.goldenConfiguration())
        for _ in 0..<20 {
            var copy = try Self.goldenConfiguration()
            copy.config?.labels?["zz.extra"] = "1"
            copy.config?.labels?["zz.extra"] = nil
            #expect(try CanonicalJSON.encode(copy) == first)
        }
    }

    @Test func imageBuildsTheGoldenManifest() throws {
        let layer = Descriptor(mediaType: .ociLayerGzip, digest: try Digest(parsing: Self.goldenLayer), size: 1234)
        let image = try Image(configuration: Self.goldenConfiguration(), layers: [layer])
        #expect(String(decoding: image.configurationData, as: UTF8.self) == Self.goldenConfigurationText)
        #expect(String(decoding: image.manifestData, as: UTF8.self) == Self.goldenManifestText)
        #expect(image.manifest.config.digest.description == Self.goldenConfigurationDigest)
        #expect(image.manifest.config.size == 816)
        #expect(image.manifestDescriptor.digest.description == Self.goldenManifestDigest)
        #expect(image.manifestDescriptor.size == Int64(image.manifestData.count))
        #expect(image.manifestDescriptor.mediaType == .ociManifest)
        #expect(image.manifestDescriptor.platform == (try Platform(parsing: "linux/amd64")))
    }

    @Test func goldenDocumentsDecodeBackToTheSameValues() throws {
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: Data(Self.goldenConfigurationText.utf8), what: "config")
        #expect(configuration == (try Self.goldenConfiguration()))
        #expect(configuration.config?.exposedPorts?.keys.sorted() == ["8080/tcp", "9090/udp"])
        #expect(configuration.rootfs.diffIDs.count == 2)
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: Data(Self.goldenManifestText.utf8), what: "manifest")
        #expect(try CanonicalJSON.encode(manifest) == Data(Self.goldenManifestText.utf8))
    }

    @Test func keysSortByteWiseAndSlashesAndUnicodeStayLiteral() throws {
        let value = ["b": "/a/b", "B": "é", "a": "<&>", "10/tcp": "\"\\\n", "9/tcp": ""]
        let text = String(decoding: try CanonicalJSON.encode(value), as: UTF8.self)
        #expect(text == #"{"10/tcp":"\"\\\n","9/tcp":"","B":"é","a":"<&>","b":"/a/b"}"#)
    }

    @Test func decodingErrorNamesTheDocumentAndTheMissingKey() {
        #expect {
            try CanonicalJSON.decode(ImageManifest.self, from: Data(#"{"schemaVersion":2,"layers":[]}"#.utf8), what: "manifest of ghcr.io/o/r:1")
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidJSON && error.message.hasPrefix("manifest of ghcr.io/o/r:1 is not a valid ImageManifest") && error.message.contains("missing 'config'")
        }
        #expect {
            try CanonicalJSON.decode(ImageIndex.self, from: Data("not json".utf8), what: "index.json")
        } throws: { error in
            (error as? StevedoreError)?.code == .invalidJSON
        }
        #expect {
            try CanonicalJSON.decode(ImageManifest.self, from: Data(#"{"schemaVersion":"2","config":{},"layers":[]}"#.utf8), what: "m")
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidJSON && error.message.contains("schemaVersion")
        }
    }
}
