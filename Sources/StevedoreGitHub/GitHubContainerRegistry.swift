import Foundation
import StevedoreCore

/// What is particular to GitHub Container Registry (`ghcr.io`).
public enum GitHubContainerRegistry {
    /// The registry's host.
    public static let host = "ghcr.io"

    /// Whether `registry` (host[:port], as in an image reference) is GitHub Container Registry: `GHCR.IO` and
    /// `ghcr.io:443` are.
    public static func isHost(_ registry: String) -> Bool {
        ImageReference.normalizedRegistry(registry) == host
    }

    /// The image repository path for a GitHub repository, `owner/name` in lowercase: ghcr.io accepts no capitals.
    public static func repositoryPath(for repository: GitHubRepositoryName) -> String {
        "\(repository.owner.lowercased())/\(repository.name.lowercased())"
    }

    /// Whether a blob of `size` bytes must go to `registry` in chunks of at most `chunkSize` bytes: ghcr.io
    /// refuses large blobs sent in one streamed `PUT`.
    public static func requiresChunkedUpload(registry: String, size: Int64, chunkSize: Int) -> Bool {
        isHost(registry) && size > Int64(chunkSize)
    }

    /// What to do when ghcr.io answers `denied` to a push.
    public static let deniedExplanation =
        "On GitHub Actions the workflow (or job) needs `permissions: packages: write`, and if the package already exists, "
        + "its settings must give this repository write access under \"Manage Actions access\" "
        + "(Package settings → Manage Actions access → Add repository → Role: Write). "
        + "With a personal access token, it needs the write:packages scope."

    /// The value of `org.opencontainers.image.source` that links a ghcr.io package to the repository the
    /// build runs for: `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY` (server defaulting to `https://github.com`),
    /// or `nil` outside GitHub Actions.
    public static func sourceAnnotation(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        GitHubActionsEnvironment(environment).repositoryWebURL
    }

    /// The annotations a build adds for the environment: `org.opencontainers.image.source` when known.
    public static func annotations(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        sourceAnnotation(environment: environment).map { [AnnotationKey.source: $0] } ?? [:]
    }
}
