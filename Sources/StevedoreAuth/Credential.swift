import Foundation

/// A user name and a secret (a password or a token) for one registry, and where they came from.
///
/// Its ``description`` never shows the secret, so a credential can be logged or put in an error safely.
public struct Credential: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The user name; registries that take tokens (ghcr.io) accept any non-empty one.
    public var username: String
    /// The password or token. Never printed.
    public var secret: String
    /// Where the credential was found, for messages, e.g. `GITHUB_TOKEN` or `~/.docker/config.json`.
    public var origin: String

    /// Creates a credential.
    public init(username: String, secret: String, origin: String) {
        self.username = username
        self.secret = secret
        self.origin = origin
    }

    /// The value of an HTTP `Authorization: Basic …` header for this credential.
    public var basicAuthorization: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }

    /// `user 'NAME' from ORIGIN`, without the secret.
    public var description: String { "user '\(username)' from \(origin)" }
    public var debugDescription: String { "Credential(\(description))" }
}

/// An error while finding or storing registry credentials.
public struct CredentialError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// A credentials file exists but cannot be read or parsed.
        case unreadableFile
        /// A `docker-credential-*` helper failed or answered something unexpected.
        case helperFailed
        /// A credentials file could not be written.
        case unwritableFile
        /// The given user name or secret is unusable (empty, or with a newline).
        case invalidCredential
    }

    /// What went wrong.
    public let code: Code
    /// A message a user can act on. It never contains a secret.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
