/// Why `stevedore init kamal` wrote nothing.
public struct KamalScaffoldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it was.
    public enum Code: String, Sendable, Hashable {
        /// A file to write exists and `--force` was not given.
        case fileExists
        /// The existing workflow cannot be extended safely.
        case workflowNotExtensible
        /// A file could not be written.
        case writeFailed
    }

    /// What kind of problem it was.
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
