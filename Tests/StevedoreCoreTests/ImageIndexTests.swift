import Foundation
import Testing
@testable import StevedoreCore

struct ImageIndexTests {
    static func descriptor(_ platform: String?, _ mediaType: MediaType = .ociManifest, _ byte: Character) throws -> Descriptor {
        Descriptor(
            mediaType: mediaType,
            digest: try Digest(parsing: "sha256:" + String(repeating: byte, count: 64)),
            size: 100,
            platform: try platform.map { try Platform(parsing: $0) }
        )
    }

    static func multiPlatformIndex() throws -> ImageIndex {
        ImageIndex(manifests: [
            try descriptor("linux/amd64", .ociIndex, "0"), // not a manifest: never chosen
            try descriptor("linux/amd64", .ociManifest, "1"),
            try descriptor("linux/arm/v6", .dockerManifest, "2"),
            try descriptor("linux/arm/v7", .ociManifest, "3"),
            try descriptor("linux/arm64/v8", .ociManifest, "4"),
            try descriptor(nil, .ociManifest, "5"), // no platform: an attestation, say
            Descriptor(mediaType: .ociManifest, digest: try Digest(parsing: "sha256:" + String(repeating: "6", count: 64)), size: 1,
                       platform: Platform(os: "unknown", architecture: "unknown")),
        ])
    }

    @Test(arguments: [
        ("linux/amd64", "1"),
        ("linux/x86_64", "1"),
        ("linux/arm/v6", "2"),
        ("linux/arm/v7", "3"),
        ("linux/armhf", "3"),
        ("linux/arm", "2"),
        ("linux/arm64", "4"),
        ("linux/arm64/v8", "4"),
        ("linux/aarch64", "4"),
    ])
    func choosesTheManifestForAPlatform(platform: String, expectedByte: Character) throws {
        let index = try Self.multiPlatformIndex()
        let chosen = try #require(index.manifest(for: try Platform(parsing: platform)))
        #expect(chosen.digest.encoded == String(repeating: expectedByte, count: 64))
    }

    @Test(arguments: ["linux/386", "linux/s390x", "windows/amd64", "linux/arm/v5"])
    func findsNothingForAnAbsentPlatform(platform: String) throws {
        #expect(try Self.multiPlatformIndex().manifest(for: try Platform(parsing: platform)) == nil)
    }

    @Test func prefersTheExactVariant() throws {
        let index = ImageIndex(manifests: [
            try Self.descriptor("linux/arm64", .ociManifest, "a"),
            try Self.descriptor("linux/arm64/v8", .ociManifest, "b"),
        ])
        #expect(index.manifest(for: try Platform(parsing: "linux/arm64/v8"))?.digest.encoded.first == "b")
        #expect(index.manifest(for: try Platform(parsing: "linux/arm64"))?.digest.encoded.first == "a")
    }
}

extension ImageIndexTests {
    /// An OCI index with annotations, artifactType, a subject and rich descriptors, in canonical form.
    static let ociIndex = #"{"annotations":{"org.opencontainers.image.ref.name":"1.0","org.opencontainers.image.source":"https://github.com/owner/repo"},"artifactType":"application/vnd.example.bundle","manifests":[{"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","mediaType":"application/vnd.oci.image.manifest.v1+json","platform":{"architecture":"amd64","os":"linux"},"size":402},{"annotations":{"vnd.docker.reference.digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","vnd.docker.reference.type":"attestation-manifest"},"artifactType":"application/vnd.in-toto+json","digest":"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","mediaType":"application/vnd.oci.image.manifest.v1+json","platform":{"architecture":"unknown","os":"unknown"},"size":566},{"digest":"sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1","mediaType":"application/vnd.oci.image.manifest.v1+json","platform":{"architecture":"arm64","os":"linux","variant":"v8"},"size":402}],"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2,"subject":{"digest":"sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0","mediaType":"application/vnd.oci.image.index.v1+json","size":1000}}"#

    @Test func ociIndexRoundTripsByteForByte() throws {
        let data = Data(Self.ociIndex.utf8)
        let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index")
        #expect(index.mediaType == .ociIndex)
        #expect(index.artifactType == "application/vnd.example.bundle")
        #expect(index.subject?.mediaType == .ociIndex)
        #expect(index.subject?.size == 1000)
        #expect(index.annotations?[AnnotationKey.refName] == "1.0")
        #expect(index.manifests.count == 3)
        #expect(index.manifests[1].artifactType == "application/vnd.in-toto+json")
        #expect(index.manifests[1].annotations?["vnd.docker.reference.type"] == "attestation-manifest")
        #expect(index.manifest(for: try Platform(parsing: "linux/arm64"))?.size == 402)
        #expect(index.manifest(for: try Platform(parsing: "linux/arm64"))?.digest == index.manifests[2].digest)
        #expect(try CanonicalJSON.encode(index) == data)
    }

    @Test func dockerManifestListDecodes() throws {
        let list = """
        {
          "schemaVersion": 2,
          "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
          "manifests": [
            {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7143,
             "digest": "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
             "platform": {"architecture": "ppc64le", "os": "linux"}},
            {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 7682,
             "digest": "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
             "platform": {"architecture": "amd64", "os": "linux", "features": ["sse4"]}}
          ]
        }
        """
        let index = try CanonicalJSON.decode(ImageIndex.self, from: Data(list.utf8), what: "manifest list")
        #expect(index.mediaType?.isIndex == true)
        #expect(index.manifest(for: try Platform(parsing: "linux/amd64"))?.size == 7682)
        #expect(index.manifest(for: try Platform(parsing: "linux/ppc64le"))?.size == 7143)
        let again = try CanonicalJSON.decode(ImageIndex.self, from: try CanonicalJSON.encode(index), what: "again")
        #expect(again == index)
    }

    @Test func emptyIndexIsMinimal() throws {
        let text = String(decoding: try CanonicalJSON.encode(ImageIndex(manifests: [])), as: UTF8.self)
        #expect(text == #"{"manifests":[],"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2}"#)
    }
}
