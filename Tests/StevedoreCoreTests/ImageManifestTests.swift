import Foundation
import Testing
@testable import StevedoreCore

struct ImageManifestTests {
    /// A Docker v2 schema 2 manifest as registries serve it: indented, Docker's key order.
    static let dockerManifest = """
    {
       "schemaVersion": 2,
       "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
       "config": {
          "mediaType": "application/vnd.docker.container.image.v1+json",
          "size": 1472,
          "digest": "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
       },
       "layers": [
          {
             "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
             "size": 3370706,
             "digest": "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
          },
          {
             "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
             "size": 99,
             "digest": "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
             "urls": ["https://example.com/layer.tar.gz"]
          }
       ]
    }
    """

    @Test func decodesADockerV2Manifest() throws {
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: Data(Self.dockerManifest.utf8), what: "manifest")
        #expect(manifest.schemaVersion == 2)
        #expect(manifest.mediaType == .dockerManifest)
        #expect(manifest.mediaType?.isManifest == true)
        #expect(manifest.config.mediaType == .dockerConfig)
        #expect(manifest.config.mediaType.isConfig)
        #expect(manifest.config.size == 1472)
        #expect(manifest.layers.map(\.size) == [3_370_706, 99])
        #expect(manifest.layers.allSatisfy { $0.mediaType.isLayer && $0.mediaType.isGzipLayer })
        #expect(manifest.layers[1].urls == ["https://example.com/layer.tar.gz"])

        // Canonical re-encoding keeps every field, sorts keys and drops white space; it decodes to the same value.
        let canonical = try CanonicalJSON.encode(manifest)
        let text = String(decoding: canonical, as: UTF8.self)
        #expect(text == #"{"config":{"digest":"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","mediaType":"application/vnd.docker.container.image.v1+json","size":1472},"layers":[{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3370706},{"digest":"sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1","mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","size":99,"urls":["https://example.com/layer.tar.gz"]}],"mediaType":"application/vnd.docker.distribution.manifest.v2+json","schemaVersion":2}"#)
        #expect(try CanonicalJSON.decode(ImageManifest.self, from: canonical, what: "manifest") == manifest)
    }

    /// An OCI artifact manifest with a subject (a signature, an SBOM) and the empty config.
    static let artifactManifest = #"{"annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"},"artifactType":"application/vnd.example.sbom.v1+json","config":{"data":"e30=","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","mediaType":"application/vnd.oci.empty.v1+json","size":2},"layers":[{"annotations":{"org.opencontainers.image.title":"sbom.json"},"digest":"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","mediaType":"application/vnd.example.sbom.v1+json","size":3}],"mediaType":"application/vnd.oci.image.manifest.v1+json","schemaVersion":2,"subject":{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","mediaType":"application/vnd.oci.image.manifest.v1+json","size":402}}"#

    @Test func artifactManifestRoundTripsByteForByte() throws {
        let data = Data(Self.artifactManifest.utf8)
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "artifact")
        #expect(manifest.artifactType == "application/vnd.example.sbom.v1+json")
        #expect(manifest.subject?.size == 402)
        #expect(manifest.config.mediaType == .ociEmpty)
        #expect(manifest.config.data == "e30=")
        #expect(manifest.annotations?[AnnotationKey.created] == "2024-01-01T00:00:00Z")
        #expect(try CanonicalJSON.encode(manifest) == data)
    }

    @Test(arguments: [
        (MediaType.ociManifest, true, false, false, false),
        (.dockerManifest, true, false, false, false),
        (.ociIndex, false, true, false, false),
        (.dockerManifestList, false, true, false, false),
        (.ociConfig, false, false, true, false),
        (.dockerConfig, false, false, true, false),
        (.ociLayer, false, false, false, true),
        (.ociLayerGzip, false, false, false, true),
        (.ociLayerZstd, false, false, false, true),
        (.dockerLayerGzip, false, false, false, true),
        ("application/vnd.example.unknown+json", false, false, false, false),
    ])
    func mediaTypeKinds(type: MediaType, manifest: Bool, index: Bool, config: Bool, layer: Bool) {
        #expect(type.isManifest == manifest)
        #expect(type.isIndex == index)
        #expect(type.isConfig == config)
        #expect(type.isLayer == layer)
    }

    @Test func mediaTypeKeepsUnknownStrings() throws {
        let data = Data(#"["application/vnd.example.thing.v1+json"]"#.utf8)
        let types = try CanonicalJSON.decode([MediaType].self, from: data, what: "types")
        #expect(types == [MediaType("application/vnd.example.thing.v1+json")])
        #expect(try CanonicalJSON.encode(types) == data)
        #expect(MediaType.ociLayerGzip.isGzipLayer && !MediaType.ociLayer.isGzipLayer)
        #expect(MediaType.ociLayer.isUncompressedLayer && !MediaType.ociLayerGzip.isUncompressedLayer)
    }
}
