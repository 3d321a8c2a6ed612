import Foundation
import Testing
@testable import StevedoreCore

struct DigestTests {
    static let emptySHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let abcSHA256 = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test(arguments: [
        ("", emptySHA256),
        ("abc", abcSHA256),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256OfKnownVectors(input: String, expected: String) {
        #expect(Digest.sha256(of: Array(input.utf8)).description == expected)
        #expect(Digest.sha256(of: Data(input.utf8)).description == expected)
    }

    @Test func sha256OfAMillionAs() {
        let digest = Digest.sha256(of: [UInt8](repeating: 0x61, count: 1_000_000))
        #expect(digest.description == "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [1, 3, 64, 1000, 65_537])
    func incrementalHashEqualsOneShot(chunkSize: Int) {
        var generator = SplitMix(seed: UInt64(chunkSize))
        let bytes = (0..<200_003).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var hasher = DigestHasher()
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
        }
        #expect(hasher.count == Int64(bytes.count))
        #expect(hasher.finalize() == Digest.sha256(of: bytes))
    }

    @Test func hasherFinalizeDoesNotEndHashing() {
        var hasher = DigestHasher()
        hasher.update(Array("ab".utf8))
        #expect(hasher.finalize() == Digest.sha256(of: Array("ab".utf8)))
        hasher.update(Array("c".utf8))
        #expect(hasher.finalize().description == Self.abcSHA256)
        #expect(hasher.count == 3)
    }

    @Test(arguments: [
        emptySHA256,
        abcSHA256,
        "sha512:" + String(repeating: "0f", count: 64),
    ])
    func parsesValidDigest(text: String) throws {
        let digest = try Digest(parsing: text)
        #expect(digest.description == text)
        let colon = try #require(text.firstIndex(of: ":"))
        #expect(digest.algorithm == String(text[..<colon]))
        #expect(digest.encoded == String(text[text.index(after: colon)...]))
    }

    @Test(arguments: [
        ("", "expected 'sha256:'"),
        ("sha256", "expected 'sha256:'"),
        ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "expected 'sha256:'"),
        ("sha256:", "64 lowercase hex digits"),
        ("sha256:abc", "64 lowercase hex digits"),
        ("sha256:" + String(repeating: "a", count: 65), "64 lowercase hex digits"),
        ("sha256:" + String(repeating: "A", count: 64), "64 lowercase hex digits"),
        ("sha256:" + String(repeating: "g", count: 64), "64 lowercase hex digits"),
        ("sha256: " + String(repeating: "a", count: 63), "64 lowercase hex digits"),
        ("sha512:" + String(repeating: "a", count: 64), "128 lowercase hex digits"),
        ("SHA256:" + String(repeating: "a", count: 64), "unsupported algorithm 'SHA256'"),
        ("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm 'md5'"),
        (":" + String(repeating: "a", count: 64), "unsupported algorithm ''"),
    ])
    func rejectsInvalidDigest(text: String, messageContains: String) {
        #expect {
            try Digest(parsing: text)
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidDigest && error.message.contains(messageContains) && error.message.contains("'\(text)'")
        }
    }

    @Test func codableUsesTheStringForm() throws {
        let digest = try Digest(parsing: Self.abcSHA256)
        let data = try CanonicalJSON.encode([digest])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(Self.abcSHA256)\"]")
        #expect(try CanonicalJSON.decode([Digest].self, from: data, what: "test") == [digest])
    }

    @Test func decodingAnInvalidDigestNamesTheDocument() {
        let data = Data(#"{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:nothex","size":1}"#.utf8)
        #expect {
            try CanonicalJSON.decode(Descriptor.self, from: data, what: "layer descriptor")
        } throws: { error in
            guard let error = error as? StevedoreError else { return false }
            return error.code == .invalidDigest && error.message.hasPrefix("layer descriptor") && error.message.contains("sha256:nothex")
        }
    }

    @Test func ordersByText() throws {
        let a = try Digest(parsing: "sha256:" + String(repeating: "0", count: 64))
        let b = try Digest(parsing: "sha256:" + String(repeating: "1", count: 64))
        #expect(a < b)
        #expect([b, a].sorted() == [a, b])
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
