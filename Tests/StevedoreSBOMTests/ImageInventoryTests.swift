import Foundation
import StevedoreCore
import StevedoreSBOM
import StevedoreTestSupport
import Testing

struct ImageInventoryTests {
    static let zlib = DebianPackage(name: "zlib1g", version: "1:1.2.13.dfsg-1+deb12u1", architecture: "amd64", source: "zlib", distribution: "debian-12")

    static func inventory(index: Bool = false) -> ImageInventory {
        let digest = Digest.sha256(of: Array("image".utf8))
        func image(_ platform: Platform) -> ImageInventory.PlatformImage {
            ImageInventory.PlatformImage(
                platform: platform,
                manifestDigest: Digest.sha256(of: Array("manifest \(platform)".utf8)),
                executable: .init(imagePath: "/usr/local/bin/hello", sha256: Digest.sha256(of: Array("exe".utf8))),
                libraries: [
                    .init(imagePath: "/lib/x86_64-linux-gnu/libz.so.1", sha256: Digest.sha256(of: Array("z".utf8)), debianPackage: zlib),
                    .init(imagePath: "/usr/lib/swift/linux/libswiftCore.so", sha256: Digest.sha256(of: Array("s".utf8))),
                ],
                swiftRuntime: SwiftRuntime(linkage: .copied, version: "6.1.2", versionDescription: "Swift version 6.1.2 (swift-6.1.2-RELEASE)"),
                base: .init(name: "oci-layout:base:latest", digest: Digest.sha256(of: Array("base".utf8)))
            )
        }
        return ImageInventory(
            name: "ghcr.io/example/hello",
            digest: digest,
            isIndex: index,
            images: index ? [image(Platform(os: "linux", architecture: "amd64")), image(Platform(os: "linux", architecture: "arm64"))]
                : [image(Platform(os: "linux", architecture: "amd64"))],
            swiftPackages: [SwiftPackage(identity: "swift-nio", location: "https://github.com/apple/swift-nio.git", version: "2.81.0", revision: "abc")],
            creationTime: 1_700_000_000
        )
    }

    @Test("SPDX: the same inventory gives the same bytes, with SOURCE_DATE_EPOCH and a digest-derived namespace")
    func spdxDeterministic() throws {
        let first = try Self.inventory().document(format: .spdx)
        let second = try Self.inventory().document(format: .spdx)
        #expect(first.bytes == second.bytes)
        #expect(first.mediaType == .spdxJSON)
        let object = try #require(try JSONSerialization.jsonObject(with: first.bytes) as? [String: Any])
        #expect(object["spdxVersion"] as? String == "SPDX-2.3")
        #expect((object["creationInfo"] as? [String: Any])?["created"] as? String == "2023-11-14T22:13:20Z")
        let hex = Digest.sha256(of: Array("image".utf8)).encoded
        #expect(object["documentNamespace"] as? String == "https://stevedore.invalid/spdx/ghcr.io-example-hello/\(hex)")
        let text = String(decoding: first.bytes, as: UTF8.self)
        #expect(text.contains("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1%2Bdeb12u1?arch=amd64&distro=debian-12"))
        #expect(text.contains("pkg:swift/github.com/apple/swift-nio@2.81.0"))
        #expect(text.contains("git+https://github.com/apple/swift-nio.git@abc"))
        let relationships = try #require(object["relationships"] as? [[String: Any]])
        let triples = relationships.map { "\($0["spdxElementId"] ?? "") \($0["relationshipType"] ?? "") \($0["relatedSpdxElement"] ?? "")" }
        #expect(triples.contains("SPDXRef-DOCUMENT DESCRIBES SPDXRef-Image"))
        #expect(triples.contains("SPDXRef-Image CONTAINS SPDXRef-Package-deb-zlib1g-amd64"))
        #expect(triples.contains("SPDXRef-Package-deb-zlib1g-amd64 CONTAINS SPDXRef-File-lib-x86-64-linux-gnu-libz.so.1"))
        #expect(triples.contains("SPDXRef-Executable-hello DEPENDS_ON SPDXRef-Package-swift-swift-nio"))
        #expect(triples.contains("SPDXRef-Image DESCENDANT_OF SPDXRef-BaseImage"))
    }

    @Test("SPDX documents of an image and of an index validate with pyspdxtools", arguments: [false, true])
    func spdxValidates(index: Bool) throws {
        let work = try TemporaryDirectory("spdx-unit")
        let file = work.appending("sbom.spdx.json")
        try Self.inventory(index: index).document(format: .spdx).write(to: file)
        let result = try SPDXTools.validate(file)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("CycloneDX: bomFormat, specVersion 1.5, a serial number from the digest, stable bytes")
    func cycloneDX() throws {
        let first = try Self.inventory(index: true).document(format: .cyclonedx)
        #expect(first.bytes == (try Self.inventory(index: true).document(format: .cyclonedx)).bytes)
        #expect(first.mediaType == .cycloneDXJSON)
        let object = try #require(try JSONSerialization.jsonObject(with: first.bytes) as? [String: Any])
        #expect(object["bomFormat"] as? String == "CycloneDX")
        #expect(object["specVersion"] as? String == "1.5")
        let serial = try #require(object["serialNumber"] as? String)
        #expect(serial.wholeMatch(of: /urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
        let components = try #require(object["components"] as? [[String: Any]])
        #expect(components.contains { $0["purl"] as? String == Self.zlib.packageURL.description })
        let refs = Set(components.compactMap { $0["bom-ref"] as? String })
        #expect(refs.count == components.count)
    }

    @Test("the SBOM choice: automatic is SPDX for a push or an output file, none is never")
    func choice() throws {
        #expect(SBOMRequest().format(pushing: false) == nil)
        #expect(SBOMRequest().format(pushing: true) == .spdx)
        #expect(SBOMRequest(outputFile: "/tmp/x").format(pushing: false) == .spdx)
        #expect(SBOMRequest(choice: .none, outputFile: "/tmp/x").format(pushing: true) == nil)
        #expect(SBOMRequest(choice: .format(.cyclonedx)).format(pushing: false) == .cyclonedx)
        #expect(try SBOMRequest.Choice(parsing: "none") == .none)
        #expect { try SBOMRequest.Choice(parsing: "syft") } throws: { ($0 as? StevedoreError)?.code == .invalidSBOMFormat }
    }
}
