import Foundation
import StevedoreCore
import StevedoreInspect
import StevedoreTestSupport
import Testing

/// Issue 9, items 7 and 19: crafted layers make `verify` answer, not crash; risky entries are warnings, and
/// problems when the verifier is strict.
@Suite(.dedicatedThread) struct ImageVerifierCraftedLayerTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory("stevedore-verify-crafted") }

    /// An image whose one uncompressed layer is `tar`, in a blob directory.
    func image(_ tar: CraftedTar) throws -> BlobDirectorySource {
        let store = try FileBlobSink(directory: directory.appending("blobs"))
        let bytes = tar.bytes
        let digest = Digest.sha256(of: bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: store.path(of: digest)))
        let layer = Descriptor(mediaType: .ociLayer, digest: digest, size: Int64(bytes.count))
        let image = try Image(configuration: ImageConfiguration(platform: Platform(os: "linux", architecture: "amd64"), rootfs: .init(diffIDs: [digest])), layers: [layer])
        for data in [image.configurationData, image.manifestData] {
            try data.write(to: URL(fileURLWithPath: store.path(of: .sha256(of: data))))
        }
        return BlobDirectorySource(store: store, root: image.manifestDescriptor)
    }

    static var risky: CraftedTar {
        var tar = CraftedTar()
        tar.entry("etc", typeFlag: "2", mode: 0o777, linkName: "/host/etc")
        tar.entry("etc/cron.d/job", data: Array("* * * * * root sh\n".utf8))
        tar.entry("dev/mem", typeFlag: "3", mode: 0o640)
        tar.entry("usr/bin/escalate", mode: 0o4755, data: Array("x".utf8))
        tar.entry("usr/bin/shadow", typeFlag: "1", linkName: "etc/shadow")
        tar.end()
        return tar
    }

    @Test(arguments: [false, true])
    func hugeSizesAreACorruptLayer(base256: Bool) async throws {
        var tar = CraftedTar()
        if base256 {
            tar.entry("big", data: Array("x".utf8), size: Int64.max, base256: true)
        } else {
            tar.pax([("size", "9223372036854775807")])
            tar.entry("big", data: Array("x".utf8))
        }
        tar.end()
        let report = await ImageVerifier().verify(try image(tar))
        #expect(!report.isValid)
        #expect(report.problems.contains { $0.message.contains("layer 1") && $0.message.contains("corrupt") })
    }

    @Test func riskyEntriesAreWarnings() async throws {
        let report = await ImageVerifier().verify(try image(Self.risky))
        #expect(report.isValid, "\(report.problems)")
        #expect(report.warnings.count == 4)
        let messages = report.warnings.map(\.message).joined(separator: "\n")
        for fragment in ["symbolic link 'etc'", "character device", "setuid bit", "not an earlier entry"] {
            #expect(messages.contains(fragment), "\(messages)")
        }
    }

    @Test func strictMakesThemProblems() async throws {
        let report = await ImageVerifier(strict: true).verify(try image(Self.risky))
        #expect(!report.isValid)
        #expect(report.warnings.isEmpty)
        #expect(report.problems.count == 4)
    }
}
