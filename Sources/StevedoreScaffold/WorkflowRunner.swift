import Foundation
import StevedoreCore

/// A platform a generated workflow builds natively, on a GitHub-hosted runner of its architecture: one entry
/// of the matrix `stevedore init github-actions --platforms` writes.
public struct WorkflowRunner: Hashable, Sendable {
    /// The platform, `linux/amd64` or `linux/arm64`.
    public let platform: Platform
    /// The `runs-on` label of the GitHub-hosted runner: `ubuntu-24.04` or `ubuntu-24.04-arm`.
    public let runner: String

    /// The platforms GitHub hosts Linux runners for, with their labels.
    public static let hosted: [WorkflowRunner] = [
        WorkflowRunner(platform: Platform(os: "linux", architecture: "amd64"), runner: "ubuntu-24.04"),
        WorkflowRunner(platform: Platform(os: "linux", architecture: "arm64"), runner: "ubuntu-24.04-arm"),
    ]

    private init(platform: Platform, runner: String) {
        self.platform = platform
        self.runner = runner
    }

    /// The runner for `platform`.
    ///
    /// - Throws: ``StevedoreError`` `invalidPlatform` for a platform GitHub hosts no runner for.
    public init(platform: Platform) throws {
        guard let hosted = Self.hosted.first(where: { $0.platform.matches(platform) && platform.matches($0.platform) }) else {
            let known = Self.hosted.map { "\($0.platform) (\($0.runner))" }.joined(separator: ", ")
            throw StevedoreError(.invalidPlatform, "GitHub hosts no Linux runner for \(platform); the workflow can build \(known). For other platforms build with --swift-sdk on one runner.")
        }
        self = hosted
    }

    /// Parses `--platforms`: two or more comma-separated platforms (`linux/amd64,linux/arm64`), each once, in the
    /// order given.
    ///
    /// - Throws: ``StevedoreError`` `invalidPlatform` for a malformed, repeated or unsupported platform, or fewer
    ///   than two (one platform needs no index).
    public static func parseList(_ text: String) throws -> [WorkflowRunner] {
        var runners: [WorkflowRunner] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let runner = try WorkflowRunner(platform: Platform(parsing: item.trimmingCharacters(in: .whitespaces)))
            guard !runners.contains(runner) else {
                throw StevedoreError(.invalidPlatform, "--platforms names \(runner.platform) twice; name each platform once")
            }
            runners.append(runner)
        }
        guard runners.count >= 2 else {
            throw StevedoreError(.invalidPlatform, "--platforms names one platform, \(runners[0].platform); give two or more to join into one index (e.g. linux/amd64,linux/arm64)")
        }
        return runners
    }

    /// What `push-image --platform-tag` appends to each tag on this runner (`amd64`, `arm64`), and Kamal's
    /// name for the architecture in `builder.arch`.
    public var architecture: String { platform.architecture }
}
