import Foundation
import StevedoreCore

/// What is particular to GitHub Container Registry (`ghcr.io`).
public enum GitHubContainerRegistry {
    /// The registry's host.
    public static let host = "ghcr.io"

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
        guard let repository = environment["GITHUB_REPOSITORY"], !repository.isEmpty else { return nil }
        var server = environment["GITHUB_SERVER_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://github.com"
        while server.hasSuffix("/") { server.removeLast() }
        return "\(server)/\(repository)"
    }

    /// The annotations a build adds for the environment: `org.opencontainers.image.source` when known.
    public static func annotations(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        sourceAnnotation(environment: environment).map { [AnnotationKey.source: $0] } ?? [:]
    }
}
