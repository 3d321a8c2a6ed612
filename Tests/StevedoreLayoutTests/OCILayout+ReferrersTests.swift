import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreLayout

/// An artifact attached to an image of a layout: kept under the referrers tag `sha256-<hex>` of `index.json`,
/// read back byte for byte, recorded once, and the layout stays one that umoci, skopeo and oci-image-tool read.
struct OCILayoutReferrersTests {
    static let sbom = Data(#"{"SPDXID":"SPDXRef-DOCUMENT","name":"layout-test","spdxVersion":"SPDX-2.3"}"#.utf8)

    @Test func anAttachedSBOMIsListedReadBackAndRecordedOnce() async throws {
        let written = try OCILayoutInteroperabilityTests.writeRealImage()
        let layout = written.layout
        let subject = try layout.resolve(tag: "v1")
        let artifact = ReferrerArtifact(blob: Self.sbom, mediaType: .spdxJSON, sourceDateEpoch: 0)
        let referrer = try artifact.manifest(subject: subject)
        let first = try await layout.attach(referrer, blobs: artifact)
        #expect(first.referrersTag == "sha256-\(subject.digest.encoded)")
        #expect(!first.wasPresent)
        let indexAfterFirst = try Data(contentsOf: URL(fileURLWithPath: "\(written.layoutPath)/index.json"))
        let second = try await layout.attach(referrer, blobs: artifact)
        #expect(second.wasPresent)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(written.layoutPath)/index.json")) == indexAfterFirst)

        let listed = try layout.referrers(of: subject.digest)
        #expect(listed.map(\.digest) == [referrer.descriptor.digest])
        #expect(listed.first?.artifactType == "application/spdx+json")
        #expect(try layout.referrers(of: subject.digest, artifactType: "application/vnd.cyclonedx+json").isEmpty)
        let read = try await ReferrerArtifact.read(try #require(listed.first), from: layout.store)
        #expect(read.blob == Self.sbom)
        #expect(read.mediaType == .spdxJSON)
        // The image stays the only one: `oci-layout:DIR` without a tag still names it.
        #expect(try layout.resolve(tag: nil).digest == subject.digest)
    }

    @Test func umociSkopeoAndOCIImageToolStillAcceptTheLayout() async throws {
        let written = try OCILayoutInteroperabilityTests.writeRealImage()
        let subject = try written.layout.resolve(tag: "v1")
        let artifact = ReferrerArtifact(blob: Self.sbom, mediaType: .spdxJSON)
        try await written.layout.attach(try artifact.manifest(subject: subject), blobs: artifact)
        let path = written.layoutPath

        let list = try ProcessRunner.run(["umoci", "ls", "--layout", path])
        #expect(list.status == 0, "\(list.output)")
        #expect(list.stdout.split(separator: "\n").sorted() == ["sha256-\(subject.digest.encoded)", "v1"])
        let unpack = try ProcessRunner.run(["umoci", "unpack", "--image", "\(path):v1", written.directory.appending("bundle")])
        #expect(unpack.status == 0, "\(unpack.output)")
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=v1", path])
        #expect(validate.status == 0, "\(validate.output)")
        let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(path):v1"])
        #expect(raw.status == 0, "\(raw.output)")
        #expect(Data(raw.stdout.utf8) == written.image.manifestData)
        // The referrers index is readable by skopeo under its tag, and lists the artifact manifest.
        let referrers = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(path):sha256-\(subject.digest.encoded)"])
        #expect(referrers.status == 0, "\(referrers.output)")
        #expect(referrers.stdout.contains(#""artifactType":"application/spdx+json""#), "\(referrers.stdout)")
        // umoci's garbage collection keeps the artifact: it is reachable from index.json.
        let gc = try ProcessRunner.run(["umoci", "gc", "--layout", path])
        #expect(gc.status == 0, "\(gc.output)")
        let listed = try written.layout.referrers(of: subject.digest)
        let read = try await ReferrerArtifact.read(try #require(listed.first), from: written.layout.store)
        #expect(read.blob == Self.sbom)
    }
}
