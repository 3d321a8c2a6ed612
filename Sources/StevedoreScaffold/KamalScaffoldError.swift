import StevedoreCore

/// Why `stevedore init kamal` wrote nothing.
///
/// A ``StevedoreError`` with one of the codes below; the message says what to do.
public typealias KamalScaffoldError = StevedoreError

extension StevedoreError.Code {
    /// A file to write exists (or the workflow already has a deploy job) and `force` was not given. The
    /// GitHub Actions workflow scaffold uses it too.
    public static let fileExists = Self("scaffold.file-exists", category: .outputFailed)
    /// The existing workflow cannot be extended safely.
    public static let workflowNotExtensible = Self("scaffold.workflow-not-extensible", category: .outputFailed)
    /// A file of the Kamal scaffold could not be written.
    public static let writeFailed = Self("scaffold.write-failed", category: .io)
}
