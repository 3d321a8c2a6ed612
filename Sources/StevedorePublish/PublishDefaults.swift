import Foundation
import StevedoreCore
import StevedoreGitHub

/// Works out the defaults for publishing a package's image from the environment (GitHub Actions variables) and git.
///
/// The rules, in order of precedence:
/// - **Repository**: `--repository`; else `ghcr.io/<GITHUB_REPOSITORY>` lowercased; else `ghcr.io/<owner>/<name>`
///   from the `origin` remote when it is a GitHub URL (https or ssh); else an error asking for `--repository`.
/// - **Tags**: every `--tag`; else the full 40-character commit SHA (`GITHUB_SHA`, else `git rev-parse HEAD`),
///   plus `latest` when the build is on the default branch. A dirty work tree gets `<sha>-dirty` and no `latest`.
/// - **Default branch**: `--default-branch`; else `repository.default_branch` of the GitHub event
///   (`GITHUB_EVENT_PATH`); else the branch `origin/HEAD` points at; else `main` or `master`. The current branch is
///   `refs/heads/<branch>` of `GITHUB_REF` under GitHub Actions (tags and pull requests are never the default branch),
///   else the checked-out branch.
/// - **SOURCE_DATE_EPOCH**: `--source-date-epoch`; else the `SOURCE_DATE_EPOCH` variable; else the commit time,
///   so that building one commit twice gives one digest.
/// - **Labels**: `org.opencontainers.image.source` (the GitHub repository's web address),
///   `org.opencontainers.image.revision` (the commit SHA), `org.opencontainers.image.created` (SOURCE_DATE_EPOCH).
public struct PublishDefaults: Sendable {
    /// The process environment (or a test's stand-in).
    public var environment: [String: String]
    /// The git facts of the package's work tree, `nil` outside one.
    public var git: GitSnapshot?
    /// `repository.default_branch` from the GitHub event payload, when there is one.
    public var eventDefaultBranch: String?

    /// Creates defaults from already-gathered facts.
    public init(environment: [String: String], git: GitSnapshot?, eventDefaultBranch: String? = nil) {
        self.environment = environment
        self.git = git
        self.eventDefaultBranch = eventDefaultBranch
    }

    /// Gathers the facts for the package in `packageDirectory`: runs git there and reads the GitHub event payload
    /// named by `GITHUB_EVENT_PATH`.
    public static func load(packageDirectory: String, environment: [String: String]) throws -> PublishDefaults {
        let git: GitSnapshot?
        do {
            git = try GitRepository(directory: packageDirectory).snapshot()
        } catch let error as StevedoreError where error.code == .gitUnavailable || error.code == .gitQueryFailed {
            throw StevedoreError(error.code == .gitUnavailable ? .commandFailed : .gitFailed, error.message)
        }
        return PublishDefaults(
            environment: environment,
            git: git,
            eventDefaultBranch: GitHubActionsEnvironment(environment).eventDefaultBranch
        )
    }

    /// The `GITHUB_*` variables of ``environment``.
    public var gitHubActions: GitHubActionsEnvironment { GitHubActionsEnvironment(environment) }

    /// Whether the process runs under GitHub Actions.
    public var isGitHubActions: Bool { gitHubActions.isGitHubActions }

    /// The commit the image is built from: `GITHUB_SHA`, else git's `HEAD`.
    public var revision: String? {
        gitHubActions.commit ?? git?.commit
    }

    /// The GitHub repository the package lives in: `GITHUB_REPOSITORY`, else the `origin` remote when it is GitHub.
    public var gitHubRepository: GitHubRepositoryName? {
        gitHubActions.repository ?? git?.gitHubRepository
    }

    /// The provenance (timestamp and labels) of an image built with `options`.
    public func provenance(_ options: PublishOptions) throws -> ImageProvenance {
        var epoch = options.sourceDateEpoch
        if epoch == nil, let variable = nonEmpty("SOURCE_DATE_EPOCH") {
            guard let value = Int64(variable), value >= 0 else {
                throw StevedoreError(.invalidArgument, "SOURCE_DATE_EPOCH='\(variable)' is not a whole number of seconds; unset it or fix it.")
            }
            epoch = value
        }
        if epoch == nil { epoch = git?.commitTime }
        let source = gitHubActions.repositoryWebURL ?? git?.gitHubRepository?.webURL()
        return ImageProvenance(sourceDateEpoch: epoch, revision: revision, source: source, isDirty: git?.isDirty ?? false)
    }

    /// The repository and tags to push an image built with `options` to. With ``PublishOptions/platformTag``,
    /// each tag gets the suffix of `platform` (`<sha>-arm64`, `latest-arm64`) and the plain tags become
    /// ``PublishDestination/indexTags``.
    ///
    /// - Parameter platform: The image's platform; required with ``PublishOptions/platformTag``.
    /// - Throws: ``StevedoreError`` `missingRepository`, `missingRevision`, `invalidArgument` (a malformed
    ///   `--repository`, `--platform-tag` without a platform, a platform tag longer than a tag may be).
    public func destination(_ options: PublishOptions, platform: Platform? = nil) throws -> PublishDestination {
        let repository = try resolveRepository(options.repository)
        let onDefaultBranch = isOnDefaultBranch(options.defaultBranch)
        var tags: [String] = []
        if options.tags.isEmpty {
            guard let revision else {
                throw StevedoreError(.missingRevision, "No commit to tag the image with: the package is not in a git work tree with a commit and GITHUB_SHA is not set. Pass --tag TAG (repeatable), or commit first.")
            }
            tags = CommitTag.tags(commit: revision, isDirty: git?.isDirty ?? false, isDefaultBranch: onDefaultBranch)
        } else {
            for tag in options.tags where !tags.contains(tag.name) { tags.append(tag.name) }
        }
        guard options.platformTag else {
            return PublishDestination(repository: repository, tags: tags, isDefaultBranch: onDefaultBranch)
        }
        guard let platform else {
            throw StevedoreError(.invalidArgument, "--platform-tag needs the image's platform, and none is known; give one executable (its platform is read from its ELF header).")
        }
        let suffix = PublishDestination.platformTagSuffix(platform)
        let platformTags = try tags.map { tag in
            let tagged = "\(tag)-\(suffix)"
            guard ImageTag.isValid(tagged) else {
                throw StevedoreError(.invalidArgument, "--platform-tag: '\(tagged)' is not a valid tag (\(ImageTag.grammar)); choose a shorter --tag.")
            }
            return tagged
        }
        return PublishDestination(repository: repository, tags: platformTags, isDefaultBranch: onDefaultBranch, indexTags: tags)
    }

    /// The branch being built: from `GITHUB_REF` under GitHub Actions, else the checked-out branch.
    public var currentBranch: String? {
        let actions = gitHubActions
        return actions.ref == nil ? git?.branch : actions.branch
    }

    /// Whether the branch being built is the default branch (see the type's documentation for the rule).
    public func isOnDefaultBranch(_ explicitDefault: String? = nil) -> Bool {
        guard let branch = currentBranch else { return false }
        if let known = explicitDefault ?? eventDefaultBranch ?? git?.originDefaultBranch {
            return branch == known
        }
        return branch == "main" || branch == "master"
    }

    private func resolveRepository(_ explicit: String?) throws -> String {
        if let explicit {
            let reference: ImageReference
            do {
                reference = try ImageReference(parsing: explicit)
            } catch let error as StevedoreError {
                throw StevedoreError(.invalidArgument, "--repository: \(error.message)")
            }
            guard reference.tag == nil, reference.digest == nil else {
                throw StevedoreError(.invalidArgument, "--repository '\(explicit)' must not carry a tag or digest; pass tags with --tag.")
            }
            return reference.name
        }
        if let name = gitHubRepository { return name.containerRepository }
        throw StevedoreError(.missingRepository, "No image repository to push to: pass --repository REGISTRY/PATH (for example --repository ghcr.io/OWNER/NAME). Stevedore derives ghcr.io/OWNER/NAME only under GitHub Actions (GITHUB_REPOSITORY) or from a GitHub URL in the git remote 'origin'.")
    }

    private func nonEmpty(_ key: String) -> String? {
        guard let value = environment[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Reads `repository.default_branch` from a GitHub event payload; `nil` when absent, unreadable or too large.
    public static func defaultBranch(fromEventAt path: String) -> String? {
        GitHubActionsEnvironment.defaultBranch(fromEventAt: path)
    }
}
