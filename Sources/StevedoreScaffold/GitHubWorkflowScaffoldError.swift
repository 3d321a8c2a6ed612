import StevedoreCore

/// An error while writing the GitHub Actions workflow into a package.
///
/// A ``StevedoreError`` with one of the codes below or `fileExists` (the workflow file exists and `force`
/// was not given). The message says what went wrong and how to proceed.
public typealias GitHubWorkflowScaffoldError = StevedoreError

extension StevedoreError.Code {
    /// The product name cannot be written into a workflow safely.
    public static let invalidProductName = Self("scaffold.invalid-product-name", category: .outputFailed)
    /// The directory is not a Swift package (no `Package.swift`).
    public static let notAPackage = Self("scaffold.not-a-package", category: .outputFailed)
    /// The workflow file could not be written.
    public static let workflowWriteFailed = Self("scaffold.workflow-write-failed", category: .outputFailed)
}
