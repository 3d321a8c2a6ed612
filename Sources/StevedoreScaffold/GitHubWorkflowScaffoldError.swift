/// An error while writing the GitHub Actions workflow into a package.
///
/// The ``message`` says what went wrong and how to proceed.
public struct GitHubWorkflowScaffoldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem occurred.
    public enum Code: String, Sendable, Hashable {
        /// The workflow file exists and `--force` was not given.
        case fileExists
        /// The product name cannot be written into a workflow safely.
        case invalidProductName
        /// The directory is not a Swift package (no `Package.swift`).
        case notAPackage
        /// The file could not be written.
        case writeFailed
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
