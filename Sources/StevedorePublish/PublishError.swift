import StevedoreCore

/// An error while working out where and how to publish an image, or while reporting the result.
///
/// A ``StevedoreError`` with one of the codes below. The message says what went wrong and what to pass or
/// change to fix it.
public typealias PublishError = StevedoreError

extension StevedoreError.Code {
    /// No repository was given and none could be derived from GitHub Actions or the git remote.
    public static let missingRepository = Self("publish.missing-repository", category: .usage)
    /// A repository, tag, label or option value is malformed.
    public static let invalidArgument = Self("publish.invalid-argument", category: .usage)
    /// No commit could be found to tag the image with.
    public static let missingRevision = Self("publish.missing-revision", category: .failure)
    /// `git` failed in a way the user must look at.
    public static let gitFailed = Self("publish.git-failed", category: .failure)
    /// A command (the engine, `git`) could not be run or exited with a failure.
    public static let commandFailed = Self("publish.command-failed", category: .failure)
    /// An output file ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, the pushed-image file) could not be written.
    public static let outputFailed = Self("publish.output-failed", category: .failure)
}
