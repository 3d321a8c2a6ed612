import StevedoreCore

/// An error that stops `stevedore deploy kamal` before Kamal runs: a file that cannot be read, a value that
/// cannot be worked out, a tool that cannot be found or started.
///
/// A ``StevedoreError`` with one of the codes below. Problems with the *contents* of the Kamal
/// configuration are not errors but ``DeployFinding``s, so that all of them are reported at once. The
/// message says what went wrong and how to fix it; it never contains a secret.
public typealias DeployError = StevedoreError

extension StevedoreError.Code {
    /// `config/deploy.yml` (or the destination file) does not exist.
    public static let configurationNotFound = Self("deploy.configuration-not-found", category: .notFound)
    /// A configuration file is not valid YAML, or its top level is not a mapping.
    public static let invalidConfiguration = Self("deploy.invalid-configuration", category: .invalidInput)
    /// A secrets file exists but cannot be read.
    public static let unreadableSecrets = Self("deploy.unreadable-secrets", category: .notFound)
    /// The pushed-image file is not one `REF@sha256:…` line.
    public static let invalidPushedImageFile = Self("deploy.invalid-pushed-image-file", category: .invalidInput)
    /// No tag was given and none could be worked out from `GITHUB_SHA`, git or the pushed-image file.
    public static let tagUnavailable = Self("deploy.tag-unavailable", category: .invalidInput)
    /// `kamal` (or `bundle`) could not be found.
    public static let kamalNotFound = Self("deploy.kamal-not-found", category: .notFound)
    /// Kamal could not be started.
    public static let kamalLaunchFailed = Self("deploy.kamal-launch-failed", category: .failure)
    /// The checks found problems that would make Kamal fail.
    public static let checksFailed = Self("deploy.checks-failed", category: .failure)
}
