import Foundation
import StevedoreCore

/// A program to run as a child process: the one place Stevedore starts other programs (git, Kamal, `swift package`,
/// docker credential helpers).
///
/// Standard output and standard error are read at the same time, so a child that fills one pipe while Stevedore
/// waits on the other cannot block; input is written the same way, and a child that closes its standard input
/// without reading it is no error. With a ``timeout`` the child (and the process group it leads) gets `SIGTERM`
/// when the time is up and `SIGKILL` after ``terminationGracePeriod``, and the run throws
/// ``StevedoreError/Code/programTimedOut``.
///
/// ```swift
/// let output = try await ChildProcess("git", ["rev-parse", "HEAD"], timeout: .seconds(60)).run()
/// guard output.status.isSuccess else { … }
/// ```
public struct ChildProcess: Sendable {
    /// What the child reads on standard input.
    public enum Input: Hashable, Sendable {
        /// Nothing: `/dev/null`.
        case none
        /// These bytes, then end of file.
        case bytes([UInt8])
        /// This process's standard input.
        case inherit
    }

    /// The program: an absolute or relative path (containing `/`), or a name looked up on the `PATH` of
    /// ``environment`` (else of this process).
    public var executable: String
    /// The arguments after the program's name.
    public var arguments: [String]
    /// The child's whole environment; `nil` passes this process's environment on.
    public var environment: [String: String]?
    /// The directory the child runs in; `nil` for this process's current directory.
    public var workingDirectory: String?
    /// How long the child may run; `nil` for no limit.
    public var timeout: Duration?
    /// How long a child has to exit after `SIGTERM` before it gets `SIGKILL`.
    public var terminationGracePeriod: Duration

    /// The default cap on each captured stream: 16 MiB.
    public static let defaultOutputLimit = 16 << 20

    /// Describes a child process; nothing runs until ``run(input:outputLimit:)``, ``runAndWait(input:outputLimit:)``
    /// or ``runPassingOutputThrough(standardOutput:standardError:)``.
    public init(
        _ executable: String,
        _ arguments: [String] = [],
        environment: [String: String]? = nil,
        workingDirectory: String? = nil,
        timeout: Duration? = nil,
        terminationGracePeriod: Duration = .seconds(2)
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.terminationGracePeriod = terminationGracePeriod
    }

    /// Runs the child, capturing standard output and standard error, and returns when it has ended.
    ///
    /// The waiting happens on a thread of its own, not on the caller's executor. Cancelling the task stops the
    /// child and throws ``StevedoreError/Code/programCancelled``.
    ///
    /// - Parameters:
    ///   - input: What the child reads on standard input.
    ///   - outputLimit: The most bytes kept of each stream; the rest is read and dropped
    ///     (``ChildProcessOutput/isTruncated``).
    /// - Returns: The output and how the child ended; a non-zero exit status is not an error here.
    /// - Throws: ``StevedoreError`` when the child cannot be started or exceeds its timeout.
    public func run(input: Input = .none, outputLimit: Int = ChildProcess.defaultOutputLimit) async throws -> ChildProcessOutput {
        let cancellation = CancellationSignal()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ChildProcessOutput, any Error>) in
                Thread.detachNewThread {
                    continuation.resume(with: Result {
                        try self.supervise(input: input, capture: .init(limit: outputLimit), cancellation: cancellation).output
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Runs the child like ``run(input:outputLimit:)``, blocking the calling thread until it has ended; for
    /// synchronous callers.
    ///
    /// - Throws: ``StevedoreError`` when the child cannot be started or exceeds its timeout.
    public func runAndWait(input: Input = .none, outputLimit: Int = ChildProcess.defaultOutputLimit) throws -> ChildProcessOutput {
        try Self.onOwnThread {
            try self.supervise(input: input, capture: .init(limit: outputLimit), cancellation: CancellationSignal()).output
        }
    }

    /// Runs the child with its output going straight to `standardOutput` and `standardError` (this process's own by
    /// default) and its standard input inherited, as a program run from a terminal.
    ///
    /// - Returns: How the child ended.
    /// - Throws: ``StevedoreError`` when the child cannot be started, exceeds its timeout or the task is cancelled.
    public func runPassingOutputThrough(
        standardOutput: FileHandle = .standardOutput,
        standardError: FileHandle = .standardError
    ) async throws -> ChildProcessStatus {
        let cancellation = CancellationSignal()
        let passThrough = Capture(limit: 0, standardOutput: standardOutput, standardError: standardError)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ChildProcessStatus, any Error>) in
                Thread.detachNewThread {
                    continuation.resume(with: Result {
                        try self.supervise(input: .inherit, capture: passThrough, cancellation: cancellation).output.status
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// The program's name for messages: its last path component.
    var programName: String {
        executable.split(separator: "/").last.map(String.init) ?? executable
    }

    /// The absolute path of ``executable``.
    func resolvedExecutable() throws -> String {
        if executable.contains("/") {
            let path = executable.hasPrefix("/")
                ? executable
                : URL(fileURLWithPath: executable, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).path
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw StevedoreError(.programNotFound, "\(executable) is not an executable file")
            }
            return path
        }
        let searchPath = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw StevedoreError(.programNotFound, "\(executable) is not installed or not on PATH; install it or add its directory to PATH")
    }
}

/// Set from a task's cancellation handler, read by the thread that supervises the child.
final class CancellationSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    func cancel() { lock.withLock { cancelled = true } }
    var isCancelled: Bool { lock.withLock { cancelled } }
}
