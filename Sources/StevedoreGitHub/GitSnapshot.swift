/// What Stevedore needs to know about the commit being published or deployed, read once from git.
public struct GitSnapshot: Hashable, Sendable {
    /// The full 40-character SHA of `HEAD`.
    public var commit: String
    /// The committer time of `HEAD` in seconds since the Unix epoch (`git log -1 --format=%ct`).
    public var commitTime: Int64
    /// The checked-out branch, `nil` when `HEAD` is detached.
    public var branch: String?
    /// Whether tracked files differ from `HEAD` (staged or not), as `git describe --dirty` decides; untracked
    /// files such as a `.build/` missing from `.gitignore` do not count.
    public var isDirty: Bool
    /// The URL of the remote `origin` as configured, `nil` when there is none.
    public var originURL: String?
    /// The branch `refs/remotes/origin/HEAD` points at, `nil` when git does not know it.
    public var originDefaultBranch: String?

    /// Creates a snapshot from its parts.
    public init(
        commit: String,
        commitTime: Int64,
        branch: String? = nil,
        isDirty: Bool = false,
        originURL: String? = nil,
        originDefaultBranch: String? = nil
    ) {
        self.commit = commit
        self.commitTime = commitTime
        self.branch = branch
        self.isDirty = isDirty
        self.originURL = originURL
        self.originDefaultBranch = originDefaultBranch
    }

    /// The GitHub repository ``originURL`` points at, if it is on github.com.
    public var gitHubRepository: GitHubRepositoryName? {
        originURL.flatMap(GitHubRepositoryName.init(remoteURL:))
    }
}
