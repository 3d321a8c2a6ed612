import Foundation

/// What `push-image` reads from git to name its tag and repository, read the same way here so that the
/// deployment finds what was pushed: the commit, whether the work tree is dirty, and the `origin` remote.
struct GitCheckout: Sendable {
    /// `git rev-parse HEAD`: the full commit SHA.
    var head: String
    /// Whether `git status --porcelain` lists anything (push-image then tags `<sha>-dirty`).
    var isDirty: Bool
    /// The `origin` remote's URL as configured, if any.
    var originURL: String?

    /// Reads the checkout containing `directory`; `nil` outside git, without a commit, or without git.
    init?(directory: String) {
        guard let head = Self.git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], in: directory), head.count == 40,
              let status = Self.git(["status", "--porcelain"], in: directory)
        else { return nil }
        self.head = head
        self.isDirty = !status.isEmpty
        self.originURL = Self.git(["config", "--get", "remote.origin.url"], in: directory).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `owner/name` from a GitHub remote URL (`git@github.com:Owner/Name.git`, `https://github.com/Owner/Name`).
    static func gitHubRepository(fromRemoteURL url: String) -> String? {
        var text = Substring(url)
        if text.hasSuffix("/") { text = text.dropLast() }
        if text.hasSuffix(".git") { text = text.dropLast(4) }
        guard let range = text.range(of: "github.com:") ?? text.range(of: "github.com/") else { return nil }
        let parts = text[range.upperBound...].split(separator: "/")
        guard parts.count == 2 else { return nil }
        return "\(parts[0])/\(parts[1])"
    }

    /// The trimmed standard output of `git -C directory arguments…`, or `nil` when git fails or is missing.
    private static func git(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // Read to the end before waiting, so that a long `status --porcelain` cannot fill the pipe and block git.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
