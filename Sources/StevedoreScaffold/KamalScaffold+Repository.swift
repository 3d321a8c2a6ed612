import Foundation
import StevedoreGitHub

extension KamalScaffold {
    /// The GitHub repository of a package: `GITHUB_REPOSITORY` (`owner/repo`) when set, else the `origin`
    /// remote of the git checkout as written (not rewritten by `insteadOf`); `nil` when neither says.
    public static func detectGitHubRepository(packageDirectory: String, environment: [String: String]) -> GitHubRepositoryName? {
        if let repository = GitHubActionsEnvironment(environment).repository { return repository }
        guard let remote = try? GitRepository(directory: packageDirectory).originURL() else { return nil }
        return GitHubRepositoryName(remoteURL: remote)
    }
}
