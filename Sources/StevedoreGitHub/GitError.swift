/// git could not be run, or failed where an answer was expected.
public struct GitError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// git is not installed, could not be started or did not finish in time.
        case unavailable
        /// git ran but failed.
        case failed
    }

    /// What went wrong.
    public var code: Code
    /// A sentence a user can act on.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
