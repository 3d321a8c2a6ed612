#if canImport(CLibcrypto)
import CLibcrypto
#else
import Crypto
#endif

/// One running SHA-256 or SHA-512 computation, with value semantics: a copy hashes on independently.
///
/// On Linux the hash is Debian's libcrypto (OpenSSL's EVP interface, which picks SHA-NI, AVX2 or AVX-512 code for
/// the CPU), so that the `stevedore` tool every plugin verb builds does not compile a copy of BoringSSL for it;
/// elsewhere it is swift-crypto, which wraps CryptoKit on Apple platforms.
struct SHAState: Sendable {
    /// The hash functions ``Digest`` accepts, by their names in digests.
    enum Algorithm: String, Sendable {
        case sha256
        case sha512
    }

    /// The hash function.
    let algorithm: Algorithm

    #if canImport(CLibcrypto)
    private var context: EVPContext

    init(_ algorithm: Algorithm) {
        self.algorithm = algorithm
        context = EVPContext(algorithm)
    }

    /// Adds bytes to the hash.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        if !isKnownUniquelyReferenced(&context) {
            context = EVPContext(copying: context)
        }
        context.update(bytes)
    }

    /// The hash of everything added so far; the state can go on hashing.
    func finalize() -> [UInt8] {
        EVPContext(copying: context).finish()
    }
    #else
    private enum Hash: Sendable {
        case sha256(SHA256)
        case sha512(SHA512)
    }

    private var hash: Hash

    init(_ algorithm: Algorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .sha256: hash = .sha256(SHA256())
        case .sha512: hash = .sha512(SHA512())
        }
    }

    /// Adds bytes to the hash.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch hash {
        case .sha256(var hasher):
            hasher.update(bufferPointer: bytes)
            hash = .sha256(hasher)
        case .sha512(var hasher):
            hasher.update(bufferPointer: bytes)
            hash = .sha512(hasher)
        }
    }

    /// The hash of everything added so far; the state can go on hashing.
    func finalize() -> [UInt8] {
        switch hash {
        case .sha256(let hasher): Array(hasher.finalize())
        case .sha512(let hasher): Array(hasher.finalize())
        }
    }
    #endif
}

#if canImport(CLibcrypto)
/// An `EVP_MD_CTX` of libcrypto, freed with the object.
///
/// `@unchecked Sendable`: ``SHAState`` changes a context only when it holds the only reference to it (copy on
/// write), so a context that several states or threads share is only ever read, by `EVP_MD_CTX_copy_ex`.
private final class EVPContext: @unchecked Sendable {
    private let pointer: OpaquePointer

    init(_ algorithm: SHAState.Algorithm) {
        pointer = Self.makeContext()
        let function = switch algorithm {
        case .sha256: EVP_sha256()
        case .sha512: EVP_sha512()
        }
        guard EVP_DigestInit_ex(pointer, function, nil) == 1 else {
            fatalError("libcrypto cannot start a \(algorithm) hash; check OPENSSL_CONF and the providers it loads")
        }
    }

    init(copying other: EVPContext) {
        pointer = Self.makeContext()
        guard EVP_MD_CTX_copy_ex(pointer, other.pointer) == 1 else {
            fatalError("libcrypto cannot copy a hash context (out of memory?)")
        }
    }

    deinit {
        EVP_MD_CTX_free(pointer)
    }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard EVP_DigestUpdate(pointer, bytes.baseAddress, bytes.count) == 1 else {
            fatalError("libcrypto cannot hash \(bytes.count) bytes")
        }
    }

    /// Finishes the hash; the context is spent afterwards.
    func finish() -> [UInt8] {
        var hash = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(pointer, &hash, &length) == 1 else {
            fatalError("libcrypto cannot finish a hash")
        }
        return Array(hash.prefix(Int(length)))
    }

    private static func makeContext() -> OpaquePointer {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("libcrypto cannot allocate a hash context (out of memory)")
        }
        return context
    }
}
#endif
