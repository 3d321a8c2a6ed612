import Testing
@testable import StevedoreCore

/// SHA-256 and SHA-512 on the hashing backend of this platform (Debian's libcrypto on Linux, swift-crypto
/// elsewhere), against the FIPS 180 test vectors.
struct DigestKnownVectorTests {
    static let message448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

    /// (input, expected digest); the input `"1M a"` stands for one million 'a's.
    static let vectors: [(String, String)] = [
        ("", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (message448, "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("1M a", "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ("", "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        ("abc", "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        (message448, "sha512:204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"),
        ("1M a", "sha512:e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"),
    ]

    static func bytes(_ input: String) -> [UInt8] {
        input == "1M a" ? [UInt8](repeating: 0x61, count: 1_000_000) : Array(input.utf8)
    }

    @Test(arguments: vectors)
    func oneUpdate(input: String, expected: String) throws {
        let expected = try Digest(parsing: expected)
        var hasher = DigestHasher(algorithmOf: expected)
        hasher.update(Self.bytes(input))
        #expect(hasher.finalize() == expected)
        #expect(hasher.count == Int64(Self.bytes(input).count))
        #expect(expected.matches(Self.bytes(input)))
        #expect(expected.recomputed(for: Self.bytes(input)) == expected)
    }

    /// Pieces of sizes around both block lengths (64 and 128 bytes) and their padding limits (55/56, 111/112),
    /// so that updates end inside a block, on its edge and just past it.
    @Test(arguments: vectors.filter { $0.0 == "1M a" || $0.0 == message448 })
    func manyUpdatesAcrossBlockBoundaries(input: String, expected: String) throws {
        let expected = try Digest(parsing: expected)
        let bytes = Self.bytes(input)
        let sizes = [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 4096, 65_537]
        var hasher = DigestHasher(algorithmOf: expected)
        var offset = 0
        var piece = 0
        while offset < bytes.count {
            let end = min(offset + sizes[piece % sizes.count], bytes.count)
            bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            piece += 1
        }
        #expect(hasher.finalize() == expected)
        #expect(hasher.count == Int64(bytes.count))
    }

    @Test(arguments: ["sha256", "sha512"])
    func aCopyHashesOnIndependently(algorithm: String) throws {
        let abc = try #require(Self.vectors.first { $0.0 == "abc" && $0.1.hasPrefix(algorithm) })
        let empty = try #require(Self.vectors.first { $0.0 == "" && $0.1.hasPrefix(algorithm) })
        var hasher = DigestHasher(algorithmOf: try Digest(parsing: abc.1))
        let untouched = hasher
        hasher.update(Array("ab".utf8))
        var copy = hasher
        copy.update(Array("c".utf8))
        hasher.update(Array("x".utf8))
        #expect(copy.finalize().description == abc.1)
        #expect(copy.finalize().description == abc.1)
        let abx = try Digest(parsing: abc.1).recomputed(for: Array("abx".utf8))
        #expect(hasher.finalize() == abx)
        #expect(abx.description != abc.1)
        #expect(untouched.finalize().description == empty.1)
    }
}
