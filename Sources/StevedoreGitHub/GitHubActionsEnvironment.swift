import Foundation

/// The `GITHUB_*` variables GitHub Actions sets for a step, read in one place.
///
/// Outside GitHub Actions every property is `nil` (or the default); a variable that is set but empty counts as
/// not set.
public struct GitHubActionsEnvironment: Hashable, Sendable {
    /// The web address of github.com, the default of `GITHUB_SERVER_URL`.
    public static let defaultServerURL = "https://github.com"

    /// The process environment (or a test's stand-in).
    public var variables: [String: String]

    /// Reads the variables from `environment`.
    public init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        variables = environment
    }

    /// Whether the process runs under GitHub Actions (`GITHUB_ACTIONS=true`).
    public var isGitHubActions: Bool { variables["GITHUB_ACTIONS"] == "true" }

    /// The commit the workflow runs for: `GITHUB_SHA` in lowercase, when it is a full 40-digit SHA.
    public var commit: String? {
        trimmed("GITHUB_SHA").flatMap { CommitTag.isFullSHA($0) ? $0.lowercased() : nil }
    }

    /// The repository the workflow runs for: `GITHUB_REPOSITORY` (`owner/name`), when it is a valid name.
    public var repository: GitHubRepositoryName? {
        trimmed("GITHUB_REPOSITORY").flatMap(GitHubRepositoryName.init(slug:))
    }

    /// `GITHUB_SERVER_URL`, else ``defaultServerURL``.
    public var serverURL: String { trimmed("GITHUB_SERVER_URL") ?? Self.defaultServerURL }

    /// The web address of ``repository`` on ``serverURL``, e.g. `https://github.com/owner/name`.
    public var repositoryWebURL: String? { repository?.webURL(server: serverURL) }

    /// `GITHUB_REF`, e.g. `refs/heads/main`, `refs/tags/v1` or `refs/pull/7/merge`.
    public var ref: String? { trimmed("GITHUB_REF") }

    /// The branch of ``ref`` when it is `refs/heads/<branch>`; `nil` for tags, pull requests or no ref.
    public var branch: String? {
        guard let ref, ref.hasPrefix("refs/heads/") else { return nil }
        return String(ref.dropFirst("refs/heads/".count))
    }

    /// `repository.default_branch` of the event payload named by `GITHUB_EVENT_PATH`.
    public var eventDefaultBranch: String? {
        trimmed("GITHUB_EVENT_PATH").flatMap(Self.defaultBranch(fromEventAt:))
    }

    /// `GITHUB_TOKEN`, as given.
    public var token: String? { nonEmpty("GITHUB_TOKEN") }

    /// `GITHUB_ACTOR`: the user the workflow runs for.
    public var actor: String? { nonEmpty("GITHUB_ACTOR") }

    /// The step-output file, `GITHUB_OUTPUT`.
    public var outputFile: String? { nonEmpty("GITHUB_OUTPUT") }

    /// The job-summary file, `GITHUB_STEP_SUMMARY`.
    public var stepSummaryFile: String? { nonEmpty("GITHUB_STEP_SUMMARY") }

    /// Reads `repository.default_branch` from a GitHub event payload; `nil` when absent, unreadable or too large.
    public static func defaultBranch(fromEventAt path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber, size.int64Value <= 32 << 20,
              let data = FileManager.default.contents(atPath: path),
              let payload = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let repository = payload["repository"] as? [String: Any],
              let branch = repository["default_branch"] as? String, !branch.isEmpty
        else { return nil }
        return branch
    }

    private func nonEmpty(_ key: String) -> String? {
        guard let value = variables[key], !value.isEmpty else { return nil }
        return value
    }

    private func trimmed(_ key: String) -> String? {
        guard let value = variables[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
