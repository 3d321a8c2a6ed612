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
    public init(username: String, secret: String, origin: String) { (self.username, self.secret, self.origin) = (username, secret, origin) }

    /// The value of an HTTP `Authorization: Basic …` header for this credential.
    public var basicAuthorization: String {
        "Basic " + Data("\(username):\(secret)".utf8).base64EncodedString()
    }

    /// `user 'NAME' from ORIGIN`, without the secret.
    public var description: String { "user '\(username)' from \(origin)" }
    public var debugDescription: String { "Credential(\(description))" }
}
