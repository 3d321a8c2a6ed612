import StevedoreCore

/// An error while finding or storing registry credentials.
///
/// A ``StevedoreError`` with one of the codes below. The message never contains a secret.
public typealias CredentialError = StevedoreError

extension StevedoreError.Code {
    /// A credentials file exists but cannot be read or parsed.
    public static let unreadableCredentialFile = Self("credential.unreadable-file", category: .failure)
    /// A `docker-credential-*` helper failed or answered something unexpected.
    public static let helperFailed = Self("credential.helper-failed", category: .failure)
    /// A credentials file could not be written.
    public static let unwritableFile = Self("credential.unwritable-file", category: .failure)
    /// The given user name or secret is unusable (empty, or with a newline).
    public static let invalidCredential = Self("credential.invalid", category: .failure)
}
