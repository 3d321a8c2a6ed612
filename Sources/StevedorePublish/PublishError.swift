/// An error while working out where and how to publish an image, or while reporting the result.
///
/// The ``message`` says what went wrong and what to pass or change to fix it.
public struct PublishError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem occurred.
    public enum Code: String, Sendable, Hashable {
        /// No `--repository` was given and none could be derived from GitHub Actions or the git remote.
        case missingRepository
        /// A repository, tag, label or option value is malformed.
        case invalidArgument
        /// No commit could be found to tag the image with.
        case missingRevision
        /// `git` failed in a way the user must look at.
        case gitFailed
        /// A command (the engine, `git`) could not be run or exited with a failure.
        case commandFailed
        /// An output file ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, the pushed-image file) could not be written.
        case outputFailed
    }

    /// What kind of problem occurred.
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
