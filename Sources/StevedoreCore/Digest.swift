/// A content digest as the OCI image specification defines it: `algorithm:encoded`.
///
/// Stevedore writes `sha256` digests only and reads `sha256` and `sha512`.
/// See <https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests>.
public struct Digest: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The algorithm, e.g. `sha256`.
    public let algorithm: String
    /// The lowercase hex encoding of the hash.
    public let encoded: String

    /// Parses and validates a digest such as `sha256:9f86d0…`.
    ///
    /// - Throws: ``StevedoreError`` with code `invalidDigest` when the algorithm is unknown or the hex part
    ///   has the wrong length or characters.
    public init(parsing string: String) throws {
        guard let colon = string.firstIndex(of: ":") else {
            throw StevedoreError(.invalidDigest, "invalid digest '\(string)': expected 'sha256:' followed by 64 lowercase hex digits")
        }
        let algorithm = String(string[..<colon])
        let encoded = String(string[string.index(after: colon)...])
        let expectedLength: Int
        switch algorithm {
        case "sha256": expectedLength = 64
        case "sha512": expectedLength = 128
        default:
            throw StevedoreError(.invalidDigest, "invalid digest '\(string)': unsupported algorithm '\(algorithm)' (sha256 and sha512 are supported)")
        }
        guard encoded.utf8.count == expectedLength,
              encoded.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else {
            throw StevedoreError(.invalidDigest, "invalid digest '\(string)': the \(algorithm) part must be \(expectedLength) lowercase hex digits")
        }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// A digest of a finished hash: `algorithm` and the hash's bytes, hex-encoded.
    init(algorithm: String, hash: some Sequence<UInt8>) {
        self.algorithm = algorithm
        self.encoded = Self.hex(hash)
    }

    /// The `sha256` digest of a buffer.
    public static func sha256(of bytes: some Sequence<UInt8>) -> Digest {
        var hasher = DigestHasher()
        hasher.update(Array(bytes))
        return hasher.finalize()
    }

    /// The digest of a buffer computed with this digest's algorithm, to compare with it.
    public func recomputed(for bytes: some Sequence<UInt8>) -> Digest {
        var hasher = DigestHasher(algorithmOf: self)
        hasher.update(Array(bytes))
        return hasher.finalize()
    }

    /// Whether `bytes` hash to this digest, with this digest's algorithm (`sha256` or `sha512`).
    public func matches(_ bytes: some Sequence<UInt8>) -> Bool {
        recomputed(for: bytes) == self
    }

    public var description: String { "\(algorithm):\(encoded)" }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }
}

extension Digest: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Computes a ``Digest`` incrementally, for bytes that stream past: `sha256` unless told to match another
/// digest's algorithm (every algorithm ``Digest`` accepts is verified, as containerd's `go-digest` does).
public struct DigestHasher: Sendable {
    private var state: SHAState
    /// How many bytes have been hashed.
    public private(set) var count: Int64 = 0

    /// A `sha256` hasher.
    public init() {
        state = SHAState(.sha256)
    }

    /// A hasher using the algorithm of `digest`, so that its result can be compared with `digest`.
    public init(algorithmOf digest: Digest) {
        state = SHAState(SHAState.Algorithm(rawValue: digest.algorithm) ?? .sha256)
    }

    /// Adds bytes to the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        state.update(bytes)
        count += Int64(bytes.count)
    }

    /// Adds bytes to the hash.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest of everything hashed so far.
    public func finalize() -> Digest {
        Digest(algorithm: state.algorithm.rawValue, hash: state.finalize())
    }
}

extension Digest {
    /// Lowercase hex of a finished hash.
    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(128)
        for byte in bytes {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

