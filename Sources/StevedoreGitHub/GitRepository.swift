import Foundation
import StevedoreProcess
import StevedoreCore

/// The git work tree that holds a directory: runs `git -C <directory>` and reads a ``GitSnapshot`` from it.
public struct GitRepository: Sendable {
    /// A directory inside the work tree.
    public let directory: String
    /// How long one git command may run.
    public var timeout: Duration

    /// Creates a reader for the work tree holding `directory`.
    public init(directory: String, timeout: Duration = .seconds(120)) {
        self.directory = directory
        self.timeout = timeout
    }

    /// The snapshot of `HEAD`, or `nil` when `directory` is not inside a git work tree with at least one commit
    /// (or `git` is not installed).
    ///
    /// - Throws: ``StevedoreError`` `gitQueryFailed` when git answers the first questions but then fails.
    public func snapshot() throws -> GitSnapshot? {
        guard let inside = try? run(["rev-parse", "--is-inside-work-tree"]), inside.status.isSuccess,
              inside.outputText == "true"
        else { return nil }
        let head = try run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
        guard head.status.isSuccess, head.outputText.count == 40 else { return nil }
        let time = try run(["log", "-1", "--format=%ct", "HEAD"])
        guard time.status.isSuccess, let commitTime = Int64(time.outputText) else {
            throw StevedoreError(.gitQueryFailed, "`git log -1 --format=%ct` failed in \(directory): \(time.errorText)")
        }
        // Tracked files only, as `git describe --dirty`: an untracked `.build/` does not make a tree dirty.
        let status = try run(["status", "--porcelain", "--untracked-files=no"])
        guard status.status.isSuccess else {
            throw StevedoreError(.gitQueryFailed, "`git status` failed in \(directory): \(status.errorText)")
        }
        let branch = try run(["symbolic-ref", "--quiet", "--short", "HEAD"])
        let originHead = try run(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])
        var originDefaultBranch: String?
        if originHead.status.isSuccess, originHead.outputText.hasPrefix("origin/") {
            originDefaultBranch = String(originHead.outputText.dropFirst("origin/".count))
        }
        return GitSnapshot(
            commit: head.outputText,
            commitTime: commitTime,
            branch: branch.status.isSuccess && !branch.outputText.isEmpty ? branch.outputText : nil,
            isDirty: !status.outputText.isEmpty,
            originURL: try originURL(),
            originDefaultBranch: originDefaultBranch
        )
    }

    /// The URL of the remote `origin` as configured (not rewritten by `url.<base>.insteadOf`, which
    /// `git remote get-url` applies); `nil` when there is none or `directory` is not in a git work tree.
    ///
    /// - Throws: ``StevedoreError`` `gitUnavailable` when git cannot be run.
    public func originURL() throws -> String? {
        let origin = try run(["config", "--get", "remote.origin.url"])
        return origin.status.isSuccess && !origin.outputText.isEmpty ? origin.outputText : nil
    }

    /// Runs `git -C <directory> arguments…` with prompts off and messages in English, capturing its output.
    ///
    /// - Returns: What git printed and how it ended; a non-zero exit status is not an error here.
    /// - Throws: ``StevedoreError`` `gitUnavailable` when git is not installed, cannot be started or exceeds ``timeout``.
    public func run(_ arguments: [String]) throws -> ChildProcessOutput {
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        let git = ChildProcess("git", ["-C", directory] + arguments, environment: environment, timeout: timeout)
        do {
            return try git.runAndWait()
        } catch let error as StevedoreError {
            switch error.code {
            case .programNotFound:
                throw StevedoreError(.gitUnavailable, "git is not installed or not on PATH; install git or pass --tag and --repository explicitly.")
            default:
                throw StevedoreError(.gitUnavailable, "Could not run git in \(directory): \(error.message)")
            }
        }
    }
}
