/// An error that stops `stevedore deploy kamal` before Kamal runs: a file that cannot be read, a value that
/// cannot be worked out, a tool that cannot be found or started.
///
/// Problems with the *contents* of the Kamal configuration are not errors but ``DeployFinding``s, so that
/// all of them are reported at once. The ``message`` says what went wrong and how to fix it; it never
/// contains a secret.
public struct DeployError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem stopped the deployment.
    public enum Code: String, Sendable, Hashable {
        /// `config/deploy.yml` (or the destination file) does not exist.
        case configurationNotFound
        /// A configuration file is not valid YAML, or its top level is not a mapping.
        case invalidConfiguration
        /// A secrets file exists but cannot be read.
        case unreadableSecrets
        /// The pushed-image file is not one `REF@sha256:…` line.
        case invalidPushedImageFile
        /// No tag was given and none could be worked out from `GITHUB_SHA`, git or the pushed-image file.
        case tagUnavailable
        /// `kamal` (or `bundle`) could not be found.
        case kamalNotFound
        /// Kamal could not be started.
        case kamalLaunchFailed
        /// The checks found problems that would make Kamal fail.
        case checksFailed
    }

    /// What kind of problem stopped the deployment.
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
