import Foundation
import StevedoreGitHub
import StevedoreCore

/// The tag to deploy and where it came from. By default it is the tag `push-image` pushes for this commit:
/// the full commit SHA from `GITHUB_SHA`, else `git rev-parse HEAD`, with `-dirty` when tracked files have
/// changes; outside git, the tag of the last push recorded in the pushed-image file.
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

    /// Works out the tag as `push-image` does: `explicit`, else the commit (`GITHUB_SHA` when it is a full SHA,
    /// else git's `HEAD` in `packageDirectory`) with `-dirty` appended when the work tree has changes, else
    /// `record`'s tag.
    ///
    /// - Throws: ``StevedoreError`` `tagUnavailable` when none of them gives a tag.
    public static func resolve(
        explicit: String?,
        environment: [String: String],
        packageDirectory: String,
        record: PushedImageRecord?
    ) throws -> DeployTag {
        if let explicit, !explicit.isEmpty { return DeployTag(explicit, source: .option) }
        let checkout = try? GitRepository(directory: packageDirectory).snapshot()
        let isDirty = checkout?.isDirty == true
        if let sha = GitHubActionsEnvironment(environment).commit {
            return DeployTag(CommitTag.tag(commit: sha, isDirty: isDirty), source: .githubSHA)
        }
        if let checkout { return DeployTag(CommitTag.tag(commit: checkout.commit, isDirty: isDirty), source: .git) }
        if let tag = record?.reference.tag { return DeployTag(tag, source: .pushedImageFile) }
        throw StevedoreError(.tagUnavailable, "no tag to deploy: GITHUB_SHA is not set, \(packageDirectory) is not a git checkout with a commit and no push was recorded in \(PushedImageRecord.defaultPath); pass --tag")
    }
}
