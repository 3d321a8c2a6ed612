import Foundation
import Testing
@testable import StevedoreCore

/// The artifact manifest of an attached artifact (an SBOM): its exact shape and bytes, as the image
/// specification's artifact guidance and the distribution specification's referrers tag schema ask.
struct ReferrerArtifactTests {
    static let subject = Descriptor(
        mediaType: .ociManifest, digest: .sha256(of: Array("image".utf8)), size: 5,
        annotations: ["org.opencontainers.image.ref.name": "v1"], platform: Platform(os: "linux", architecture: "amd64")
    )

    @Test func theEmptyDescriptorIsTheDigestOfTwoBytes() {
        #expect(Descriptor.emptyJSON.mediaType.rawValue == "application/vnd.oci.empty.v1+json")
        #expect(Descriptor.emptyJSON.digest.description == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        #expect(Descriptor.emptyJSON.size == 2)
    }

    @Test func anSPDXArtifactHasTheEmptyConfigTheBlobAndTheSubject() throws {
        let sbom = Data(#"{"spdxVersion":"SPDX-2.3"}"#.utf8)
        let artifact = ReferrerArtifact(blob: sbom, mediaType: .spdxJSON, sourceDateEpoch: 1_700_000_000)
        let referrer = try artifact.manifest(subject: Self.subject)
        let object = try #require(try JSONSerialization.jsonObject(with: referrer.data) as? [String: Any])
        #expect(object["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
        #expect(object["artifactType"] as? String == "application/spdx+json")
        let config = try #require(object["config"] as? [String: Any])
        #expect(config["mediaType"] as? String == "application/vnd.oci.empty.v1+json")
        #expect(config["size"] as? Int == 2)
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.count == 1)
        #expect(layers.first?["mediaType"] as? String == "application/spdx+json")
        #expect(layers.first?["digest"] as? String == Digest.sha256(of: sbom).description)
        // The subject is the image's descriptor: media type, digest and size, not its tag or platform.
        let subject = try #require(object["subject"] as? [String: Any])
        #expect(subject.keys.sorted() == ["digest", "mediaType", "size"])
        #expect(subject["digest"] as? String == Self.subject.digest.description)
        #expect((object["annotations"] as? [String: String])?["org.opencontainers.image.created"] == "2023-11-14T22:13:20Z")
        // The referrers index lists it with its type and annotations.
        #expect(referrer.descriptor.artifactType == "application/spdx+json")
        #expect(referrer.descriptor.annotations?["org.opencontainers.image.created"] == "2023-11-14T22:13:20Z")
        #expect(referrer.descriptor.digest == .sha256(of: referrer.data))
        #expect(referrer.blobs.map(\.digest) == [Descriptor.emptyJSON.digest, .sha256(of: sbom)])
        // Same inputs, same bytes.
        #expect(try artifact.manifest(subject: Self.subject).data == referrer.data)
        #expect(try ReferrerManifest(data: referrer.data) == referrer)
    }

    @Test func aManifestWithoutSubjectIsNoReferrer() throws {
        let manifest = try CanonicalJSON.encode(ImageManifest(config: .emptyJSON, layers: []))
        #expect { try ReferrerManifest(data: manifest) } throws: { ($0 as? StevedoreError)?.code == .referrerNotFound }
    }

    @Test("the referrers tag of a digest", arguments: [
        ("sha256:" + String(repeating: "ab", count: 32), "sha256-" + String(repeating: "ab", count: 32)),
        ("sha512:" + String(repeating: "cd", count: 64), String(("sha512-" + String(repeating: "cd", count: 64)).prefix(128))),
    ])
    func referrersTag(digest: String, tag: String) throws {
        let digest = try Digest(parsing: digest)
        #expect(digest.referrersTag == tag)
        #expect(digest.referrersTag.count <= 128)
    }

    @Test func anIndexListsEachReferrerOnce() throws {
        let referrer = try ReferrerArtifact(blob: Data("x".utf8), mediaType: .cycloneDXJSON).manifest(subject: Self.subject)
        var index = ImageIndex.emptyReferrers
        let added = index.addReferrer(referrer.descriptor)
        let addedAgain = index.addReferrer(referrer.descriptor)
        #expect(added)
        #expect(!addedAgain)
        #expect(index.manifests.count == 1)
        #expect(index.referrers(artifactType: "application/vnd.cyclonedx+json").count == 1)
        #expect(index.referrers(artifactType: "application/spdx+json").isEmpty)
    }

    @Test func theArtifactServesItsTwoBlobs() async throws {
        let artifact = ReferrerArtifact(blob: Data("sbom".utf8), mediaType: .spdxJSON)
        #expect(try await artifact.blobData(.emptyJSON) == Data("{}".utf8))
        #expect(try await artifact.blobData(artifact.blobDescriptor) == Data("sbom".utf8))
        #expect(try await artifact.hasBlob(.sha256(of: Array("other".utf8))) == false)
    }
}
