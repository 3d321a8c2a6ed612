import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing

/// Issue 9, items 7 and 19 through the CLI: `verify` answers on crafted layers (exit 1 for a corrupt one, never a
/// crash), prints warnings for risky entries, and fails on them with `--strict`.
@Suite(.serialized, .dedicatedThread)
struct VerifyCommandCraftedLayerTests {
    /// A built layout with `tar` added as an uncompressed last layer (manifest and configuration rewritten).
    static func layout(adding tar: CraftedTar) throws -> VerifyCommandTests.Corruptible {
        let image = try VerifyCommandTests.Corruptible()
        let (layerDigest, layerSize) = try image.store(Data(tar.bytes))
        var manifest = try image.manifest
        let configDescriptor = try #require(manifest["config"] as? [String: Any])
        var configuration = try image.readJSON(image.blobPath(try #require(configDescriptor["digest"] as? String)))
        var rootfs = try #require(configuration["rootfs"] as? [String: Any])
        rootfs["diff_ids"] = (try #require(rootfs["diff_ids"] as? [String])) + [layerDigest]
        configuration["rootfs"] = rootfs
        let (configDigest, configSize) = try image.store(configuration)
        manifest["config"] = configDescriptor.merging(["digest": configDigest, "size": configSize]) { $1 }
        manifest["layers"] = try image.layers + [["mediaType": MediaType.ociLayer.rawValue, "digest": layerDigest, "size": layerSize]]
        try image.replaceManifest(manifest)
        return image
    }

    @Test func riskyEntriesWarnAndFailWithStrict() throws {
        var tar = CraftedTar()
        tar.entry("etc", typeFlag: "2", mode: 0o777, linkName: "/host/etc")
        tar.entry("etc/passwd", data: Array("root::0:0::/:/bin/sh\n".utf8))
        tar.entry("usr/bin/escalate", mode: 0o4755, data: Array("x".utf8))
        tar.end()
        let image = try Self.layout(adding: tar)
        let relaxed = try image.verify()
        #expect(relaxed.status == 0, "\(relaxed.output)")
        #expect(relaxed.stderr.contains("warning:"), "\(relaxed.output)")
        #expect(relaxed.stderr.contains("symbolic link 'etc'"), "\(relaxed.output)")
        #expect(relaxed.stdout.contains("OK"))
        let strict = try StevedoreBinary.run(["verify", "--strict", "oci-layout:\(image.layout):t"])
        #expect(strict.status == 1, "\(strict.output)")
        #expect(strict.stderr.contains("setuid bit"), "\(strict.output)")
    }

    @Test func aHugePaxSizeIsACorruptLayerNotACrash() throws {
        var tar = CraftedTar()
        tar.pax([("size", "9223372036854775807")])
        tar.entry("big", data: Array("x".utf8))
        tar.end()
        let result = try Self.layout(adding: tar).verify()
        #expect(result.status == 1, "\(result.output)")
        #expect(result.stderr.contains("the layer is corrupt"), "\(result.output)")
    }
}
