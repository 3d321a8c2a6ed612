import Foundation
import Testing
@testable import StevedoreCore

/// Every algorithm ``Digest`` accepts is computed and compared with that algorithm (issue 9, item 1).
struct DigestAlgorithmTests {
    static let abcSHA512 = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"

    @Test func sha512OfAKnownVector() throws {
        let expected = try Digest(parsing: Self.abcSHA512)
        #expect(expected.recomputed(for: Array("abc".utf8)) == expected)
        #expect(expected.matches(Data("abc".utf8)))
        #expect(!expected.matches(Data("abd".utf8)))
        var hasher = DigestHasher(algorithmOf: expected)
        hasher.update(Array("a".utf8))
        hasher.update(Array("bc".utf8))
        #expect(hasher.finalize() == expected)
        #expect(hasher.count == 3)
    }

    @Test func aSHA512PinDoesNotMatchBytesWithAnotherContent() throws {
        let zeros = try Digest(parsing: "sha512:" + String(repeating: "0", count: 128))
        #expect(!zeros.matches(Data("anything".utf8)))
        #expect(zeros.recomputed(for: Data()).algorithm == "sha512")
    }

    @Test func sha256StaysTheDefault() throws {
        let abc = try Digest(parsing: DigestTests.abcSHA256)
        #expect(abc.matches(Array("abc".utf8)))
        #expect(DigestHasher().finalize().algorithm == "sha256")
    }

    @Test func registryNamesAreNormalised() throws {
        #expect(ImageReference.normalizedRegistry("GHCR.IO") == "ghcr.io")
        #expect(ImageReference.normalizedRegistry("Host.Example:443") == "host.example")
        #expect(ImageReference.normalizedRegistry("host.example:5000") == "host.example:5000")
    }
}
