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
            guard let error = error as? StevedoreError else { return false }
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
