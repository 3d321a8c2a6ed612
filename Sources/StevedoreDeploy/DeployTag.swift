import Foundation

/// The tag to deploy and where it came from. By default it is the tag `push-image` pushes for this commit:
/// the full commit SHA from `GITHUB_SHA`, else `git rev-parse HEAD`, else the tag of the last push recorded
/// in the pushed-image file.
public struct DeployTag: Hashable, Sendable, CustomStringConvertible {
    /// Where the tag came from.
    public enum Source: String, Hashable, Sendable {
        /// `--tag`.
        case option = "--tag"
        /// The `GITHUB_SHA` environment variable.
        case githubSHA = "GITHUB_SHA"
        /// `git rev-parse HEAD`.
        case git = "git rev-parse HEAD"
        /// The pushed-image file.
        case pushedImageFile = "the pushed-image file"
    }

    /// The tag.
    public var value: String
    /// Where it came from.
    public var source: Source

    /// Creates a tag.
    public init(_ value: String, source: Source) {
        self.value = value
        self.source = source
    }

    public var description: String { value }

    /// Works out the tag: `explicit`, else `GITHUB_SHA`, else git in `packageDirectory`, else `record`'s tag.
    ///
    /// - Throws: ``DeployError`` `tagUnavailable` when none of them gives a tag.
    public static func resolve(
        explicit: String?,
        environment: [String: String],
        packageDirectory: String,
        record: PushedImageRecord?
    ) throws -> DeployTag {
        if let explicit, !explicit.isEmpty { return DeployTag(explicit, source: .option) }
        if let sha = environment["GITHUB_SHA"]?.trimmingCharacters(in: .whitespaces), !sha.isEmpty {
            return DeployTag(sha, source: .githubSHA)
        }
        if let head = gitHead(in: packageDirectory) { return DeployTag(head, source: .git) }
        if let tag = record?.reference.tag { return DeployTag(tag, source: .pushedImageFile) }
        throw DeployError(.tagUnavailable, "no tag to deploy: GITHUB_SHA is not set, \(packageDirectory) is not a git checkout and no push was recorded in \(PushedImageRecord.defaultPath); pass --tag")
    }

    /// `git rev-parse HEAD` in `directory`, or `nil` when it is not a git checkout or git is missing.
    static func gitHead(in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "rev-parse", "HEAD"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let sha = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return sha.count == 40 ? sha : nil
    }
}
