import Foundation

/// The `stevedore` executable under test, run the way a user runs it: the one way tests start the CLI.
public enum StevedoreBinary {
    /// The executable SwiftPM built beside the running test bundle.
    public static var path: String { "\(BuildProducts.directory)/stevedore" }

    /// The layer cache of this test process, unless a test names its own: builds of one test run share it, and
    /// nothing a test does reaches the user's `~/.cache/stevedore` or a later run.
    public static let cacheDirectory = "/tmp/stevedore-test-cache-\(ProcessInfo.processInfo.processIdentifier)"

    /// Runs `stevedore` with `arguments` and waits for it, at most `timeout` seconds.
    ///
    /// - Parameters:
    ///   - environment: variables added to (or, with `nil` values, removed from) the test's environment;
    ///     `STEVEDORE_CACHE_DIR` is ``cacheDirectory`` unless given.
    ///   - currentDirectory: the working directory, the test's by default.
    ///   - stdin: bytes written to standard input, which is then closed.
    /// - Returns: the exit status, standard output and standard error.
    @discardableResult
    public static func run(
        _ arguments: [String],
        environment: [String: String?] = [:],
        currentDirectory: String? = nil,
        stdin: String? = nil,
        timeout: TimeInterval = 600
    ) throws -> ProcessResult {
        var environment = environment
        if environment["STEVEDORE_CACHE_DIR"] == nil { environment["STEVEDORE_CACHE_DIR"] = cacheDirectory }
        return try ProcessRunner.run([path] + arguments, environment: environment, currentDirectory: currentDirectory, stdin: stdin, timeout: timeout)
    }
}
