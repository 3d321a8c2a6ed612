import Foundation

/// Reads a ``GitSnapshot`` from the git work tree that holds a directory, by running `git`.
public struct GitRepository: Sendable {
    /// A directory inside the work tree.
    public let directory: String

    /// Creates a reader for the work tree holding `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The snapshot of `HEAD`, or `nil` when `directory` is not inside a git work tree with at least one commit
    /// (or `git` is not installed).
    public func snapshot() throws -> GitSnapshot? {
        guard let inside = try? run(["rev-parse", "--is-inside-work-tree"]), inside.status == 0,
              inside.output == "true"
        else { return nil }
        let head = try run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        guard head.status == 0, head.output.count == 40 else { return nil }
        let time = try run(["log", "-1", "--format=%ct", "HEAD"])
        guard time.status == 0, let commitTime = Int64(time.output) else {
            throw PublishError(.gitFailed, "`git log -1 --format=%ct` failed in \(directory): \(time.errorOutput)")
        }
        let status = try run(["status", "--porcelain"])
        guard status.status == 0 else {
            throw PublishError(.gitFailed, "`git status` failed in \(directory): \(status.errorOutput)")
        }
        let branch = try run(["symbolic-ref", "--quiet", "--short", "HEAD"])
        // The configured URL, not `remote get-url`, which applies url.<base>.insteadOf rewrites.
        let origin = try run(["config", "--get", "remote.origin.url"])
        let originHead = try run(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
        var originDefaultBranch: String?
        if originHead.status == 0, originHead.output.hasPrefix("origin/") {
            originDefaultBranch = String(originHead.output.dropFirst("origin/".count))
        }
        return GitSnapshot(
            commit: head.output,
            commitTime: commitTime,
            branch: branch.status == 0 && !branch.output.isEmpty ? branch.output : nil,
            isDirty: !status.output.isEmpty,
            originURL: origin.status == 0 && !origin.output.isEmpty ? origin.output : nil,
            originDefaultBranch: originDefaultBranch
        )
    }

    private struct Outcome {
        var status: Int32
        /// Standard output without surrounding whitespace.
        var output: String
        var errorOutput: String
    }

    private func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PublishError(.commandFailed, "Could not run git (\(error)); install git or pass --tag and --repository explicitly.")
        }
        // git's answers here are a few lines, except `status --porcelain` on a very dirty tree; reading both pipes
        // to the end before waiting keeps git from blocking on a full pipe.
        let errorData = LockedData()
        let errorReader = DispatchGroup()
        let errorHandle = errors.fileHandleForReading
        DispatchQueue.global().async(group: errorReader) { errorData.set(errorHandle.readDataToEndOfFile()) }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorReader.wait()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            errorOutput: String(decoding: errorData.value, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}

/// Bytes handed from a reader thread to the thread waiting for git.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var value: Data { lock.withLock { data ?? Data() } }
}
