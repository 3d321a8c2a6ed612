import Foundation
import StevedoreCore
import Testing
@testable import StevedoreRegistry

/// Small rules of issue 9: printable error text, clamped token lifetimes and deadlines, host comparison.
struct RegistryHygieneTests {
    @Test func registryTextLosesControlCharacters() {
        let text = RegistryErrorBody.printable("denied \u{1b}[31mEVIL\u{1b}[0m\u{1b}]0;owned\u{07}\r\nFORGED \u{9b}2J \u{202e}txt")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7f..<0xa0).contains($0.value) || $0.value == 0x202e })
        #expect(text.contains("EVIL"))
        #expect(text.contains("FORGED"))
        #expect(RegistryErrorBody.printable(String(repeating: "x", count: 2000)).count <= 501)
    }

    @Test func errorBodiesArePrintable() {
        let body = RegistryErrorBody(Data(#"{"errors":[{"code":"DENIED","message":"no \u001b[2Jway"}]}"#.utf8))
        #expect(body.summarySuffix == ": DENIED: no ?[2Jway")
    }

    @Test(arguments: [
        (1e300 as Double?, 86_400.0), (-5, 60), (0, 60), (300, 300), (0.2, 1), (nil, 60),
    ])
    func tokenLifetimesAreClamped(offered: Double?, expected: Double) {
        #expect(RegistryTransport.tokenLifetime(offered.map { NSNumber(value: $0) }) == expected)
    }

    @Test func nonNumericAndNonFiniteLifetimes() {
        #expect(RegistryTransport.tokenLifetime("3600") == 60)
        #expect(RegistryTransport.tokenLifetime(NSNumber(value: Double.nan)) == 60)
        #expect(RegistryTransport.tokenLifetime(NSNumber(value: Double.infinity)) == 60)
    }

    @Test func deadlinesAreClamped() {
        #expect(OperationDeadline(seconds: .infinity).seconds == OperationDeadline.maximumSeconds)
        #expect(OperationDeadline(seconds: .nan).seconds == OperationDeadline.maximumSeconds)
        #expect(OperationDeadline(seconds: 1e300).seconds == OperationDeadline.maximumSeconds)
        _ = OperationDeadline(seconds: 1e300).nioDeadline
    }

    @Test func urlsForLogsAndHosts() {
        #expect(RegistryTransport.withoutQuery("https://h.example/v2/a/blobs/x?X-Amz-Signature=secret") == "https://h.example/v2/a/blobs/x")
        #expect(RegistryTransport.hostPort(of: "http://User@Other.Example:8080/path?q") == "other.example:8080")
        #expect(RegistryTransport.hostPort(of: "http://127.0.0.2/blob") == "127.0.0.2")
    }

    @Test func plainHTTPIsDecidedOnNormalisedNames() {
        let configuration = RegistryConfiguration(insecureRegistries: ["Registry.Example:5000", "other.example:443"], environment: [:])
        #expect(configuration.allowsPlainHTTP("registry.example:5000"))
        #expect(configuration.allowsPlainHTTP("OTHER.example"))
        #expect(!configuration.allowsPlainHTTP("registry.example:5001"))
        #expect(!configuration.allowsPlainHTTP("127.0.0.2"))
        #expect(configuration.allowsPlainHTTP("LOCALHOST:5000"))
    }
}
