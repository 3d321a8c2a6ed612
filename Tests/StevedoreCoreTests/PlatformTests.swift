import Foundation
import Testing
@testable import StevedoreCore

struct PlatformTests {
    @Test(arguments: [
        ("linux/amd64", "linux", "amd64", nil),
        ("linux/arm64", "linux", "arm64", nil),
        ("linux/arm64/v8", "linux", "arm64", "v8"),
        ("linux/arm/v7", "linux", "arm", "v7"),
        ("linux/arm/v6", "linux", "arm", "v6"),
        ("windows/amd64", "windows", "amd64", nil),
        ("linux/s390x", "linux", "s390x", nil),
        // Aliases.
        ("linux/x86_64", "linux", "amd64", nil),
        ("linux/x86-64", "linux", "amd64", nil),
        ("linux/aarch64", "linux", "arm64", nil),
        ("linux/aarch64/v8", "linux", "arm64", "v8"),
        ("linux/armhf", "linux", "arm", "v7"),
        ("linux/armel", "linux", "arm", "v6"),
        ("linux/i386", "linux", "386", nil),
        ("linux/i686", "linux", "386", nil),
    ] as [(String, String, String, String?)])
    func parsesAndNormalises(text: String, os: String, architecture: String, variant: String?) throws {
        let platform = try Platform(parsing: text)
        #expect(platform.os == os)
        #expect(platform.architecture == architecture)
        #expect(platform.variant == variant)
        #expect(platform.description == [os, architecture, variant].compactMap { $0 }.joined(separator: "/"))
        #expect(try Platform(parsing: platform.description) == platform)
    }

    @Test(arguments: ["", "linux", "linux/", "/amd64", "linux//v7", "Linux/amd64", "linux/AMD64", "linux/arm/v7/extra", "linux/arm/"])
    func rejectsInvalidPlatform(text: String) {
        #expect {
            try Platform(parsing: text)
        } throws: { error in
            guard let error = error as? ImageModelError else { return false }
            return error.code == .invalidPlatform && error.message.contains("'\(text)'") && error.message.contains("os/architecture[/variant]")
        }
    }

    @Test(arguments: [
        // request, candidate, matches
        ("linux/arm64", "linux/arm64/v8", true),
        ("linux/arm64/v8", "linux/arm64", true),
        ("linux/arm64/v8", "linux/arm64/v8", true),
        ("linux/aarch64", "linux/arm64/v8", true),
        ("linux/amd64", "linux/amd64", true),
        ("linux/x86_64", "linux/amd64", true),
        ("linux/arm", "linux/arm/v7", true),
        ("linux/arm/v7", "linux/arm/v7", true),
        ("linux/armhf", "linux/arm/v7", true),
        ("linux/arm/v7", "linux/arm/v6", false),
        ("linux/arm/v7", "linux/arm", false),
        ("linux/amd64", "linux/arm64", false),
        ("linux/arm64", "linux/arm", false),
        ("linux/amd64", "windows/amd64", false),
    ])
    func matches(request: String, candidate: String, expected: Bool) throws {
        let wanted = try Platform(parsing: request)
        let offered = try Platform(parsing: candidate)
        #expect(wanted.matches(offered) == expected)
    }

    @Test func aliasesInDecodedValuesAreNormalisedWhenMatching() throws {
        // Descriptors in the wild sometimes carry non-canonical names; matching normalises both sides.
        let offered = Platform(os: "linux", architecture: "aarch64")
        #expect(try Platform(parsing: "linux/arm64/v8").matches(offered))
        #expect(Platform(os: "linux", architecture: "x86_64").normalized == Platform(os: "linux", architecture: "amd64"))
    }

    @Test func codingKeysFollowTheSpecification() throws {
        var platform = Platform(os: "windows", architecture: "amd64")
        platform.osVersion = "10.0.17763.1"
        platform.osFeatures = ["win32k"]
        let text = String(decoding: try CanonicalJSON.encode(platform), as: UTF8.self)
        #expect(text == #"{"architecture":"amd64","os":"windows","os.features":["win32k"],"os.version":"10.0.17763.1"}"#)
        #expect(try CanonicalJSON.decode(Platform.self, from: Data(text.utf8), what: "platform") == platform)
    }

    @Test func hostIsAKnownLinuxPlatform() {
        #expect(Platform.host.os == "linux")
        #expect(["amd64", "arm64", "arm"].contains(Platform.host.architecture))
    }
}

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
