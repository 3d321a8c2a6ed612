import StevedoreCore

/// An error talking to a registry.
///
/// A ``StevedoreError`` with one of the codes below or the shared code `blobNotFound`. The message names
/// the registry and what to do; it never contains a password or token.
public typealias RegistryError = StevedoreError

extension StevedoreError.Code {
    /// The registry (or its token service) refused the credentials, or needs some and has none.
    public static let unauthorized = Self("registry.unauthorized", category: .denied)
    /// The credentials are valid but may not do this (e.g. push with pull-only access).
    public static let denied = Self("registry.denied", category: .denied)
    /// The repository does not exist.
    public static let repositoryNotFound = Self("registry.repository-not-found", category: .notFound)
    /// The tag or digest does not exist in the repository.
    public static let manifestNotFound = Self("registry.manifest-not-found", category: .notFound)
    /// Content sent to or received from the registry did not have the digest it was asked for.
    public static let transferDigestMismatch = Self("registry.digest-mismatch", category: .failure)
    /// Content sent to or received from the registry did not have the size its descriptor says, or is
    /// larger than allowed.
    public static let transferSizeMismatch = Self("registry.size-mismatch", category: .failure)
    /// The registry kept failing until the time bound ran out.
    public static let timedOut = Self("registry.timed-out", category: .unavailable)
    /// The registry kept failing for every allowed attempt.
    public static let retriesExhausted = Self("registry.retries-exhausted", category: .unavailable)
    /// The registry could not be reached.
    public static let connectionFailed = Self("registry.connection-failed", category: .unavailable)
    /// TLS failed (untrusted or invalid certificate).
    public static let tlsFailure = Self("registry.tls-failure", category: .failure)
    /// The registry answered something the distribution specification does not allow.
    public static let invalidResponse = Self("registry.invalid-response", category: .failure)
    /// The registry rejected the request for another reason (its message is included).
    public static let rejected = Self("registry.rejected", category: .failure)
    /// A platform, media type or option is not available for this image.
    public static let unsupported = Self("registry.unsupported", category: .failure)
}
