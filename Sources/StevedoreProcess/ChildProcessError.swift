/// A child process could not be started, or did not finish in time.
///
/// The message names the program and says what to do; it never shows the arguments or the environment, which
/// may hold secrets.
public struct ChildProcessError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// The program is not an executable file, or not on `PATH`.
        case notFound
        /// The program exists but could not be started.
        case launchFailed
        /// The program did not finish within its timeout and was stopped (`SIGTERM`, then `SIGKILL`).
        case timedOut
        /// The task waiting for the program was cancelled; the program was stopped.
        case cancelled
    }

    /// What went wrong.
    public var code: Code
    /// The program's name as the caller gave it, e.g. `git` or `docker-credential-pass`.
    public var program: String
    /// A sentence a user can act on.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, program: String, _ message: String) {
        self.code = code
        self.program = program
        self.message = message
    }

    public var description: String { message }
}
