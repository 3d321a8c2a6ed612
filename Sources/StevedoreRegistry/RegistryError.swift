/// An error talking to a registry. The ``message`` names the registry and what to do; it never contains a
/// password or token.
public struct RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// The registry (or its token service) refused the credentials, or needs some and has none.
        case unauthorized
        /// The credentials are valid but may not do this (e.g. push with pull-only access).
        case denied
        /// The repository does not exist.
        case repositoryNotFound
        /// The tag or digest does not exist in the repository.
        case manifestNotFound
        /// A blob does not exist in the repository.
        case blobNotFound
        /// Content did not have the digest it was asked for.
        case digestMismatch
        /// Content did not have the size its descriptor says.
        case sizeMismatch
        /// The registry kept failing until the time bound ran out.
        case timedOut
        /// The registry kept failing for every allowed attempt.
        case retriesExhausted
        /// The registry could not be reached.
        case connectionFailed
        /// TLS failed (untrusted or invalid certificate).
        case tlsFailure
        /// The registry answered something the distribution specification does not allow.
        case invalidResponse
        /// The registry rejected the request for another reason (its message is included).
        case rejected
        /// A platform, media type or option is not available for this image.
        case unsupported
    }

    /// What went wrong.
    public let code: Code
    /// A message a user can act on.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
