import Foundation
import StevedoreArchive

/// How long one phase of a build took: what `--verbose` prints, one line per phase, so that a user sees where the
/// time of `build-image` goes.
public struct PhaseTiming: Hashable, Sendable, CustomStringConvertible {
    /// The phases of ``ImageBuild`` and ``PackageImageJob``, in the order they run.
    public enum Phase: String, Hashable, Sendable {
        /// Defaults from git and GitHub Actions: labels, SOURCE_DATE_EPOCH, the push target.
        case provenance
        /// Reading the executables (ELF headers, shared-library closure) and the base image: the layers' recipes.
        case layerPlanning = "layer planning"
        /// Writing the layers, or finding them in the layer cache, the output or the push target.
        case layers
        /// The configurations and manifests, and every output (OCI layout, docker-archive).
        case write
        /// The upload to the registry.
        case push
    }

    public var phase: Phase
    public var duration: Duration
    /// What the phase did, e.g. `1 written, 2 reused`; `nil` when there is nothing to add.
    public var detail: String?

    public init(_ phase: Phase, duration: Duration, detail: String? = nil) {
        self.phase = phase
        self.duration = duration
        self.detail = detail
    }

    /// `timing: layers 1.23 s (1 written, 2 reused)`: the same shape as the plugins' own timing lines.
    public var description: String {
        Self.line(phase.rawValue, seconds: duration.seconds, detail: detail)
    }

    /// One timing line; the plugins print theirs (tool check, product build) in this shape too.
    public static func line(_ phase: String, seconds: Double?, detail: String? = nil) -> String {
        let time = seconds.map { String(format: "%.2f s", $0) } ?? "unknown"
        return "timing: \(phase) \(time)" + (detail.map { " (\($0))" } ?? "")
    }

    /// `N written, M reused` for the outcomes of the layers of a build.
    public static func layerDetail(_ outcomes: [LayerOutcome]) -> String {
        let written = outcomes.filter { $0 == .written }.count
        return "\(written) written, \(outcomes.count - written) reused"
    }

    /// Runs `body` and records how long it took.
    static func measure<T>(_ body: () async throws -> T) async rethrows -> (value: T, duration: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        return (value, clock.now - start)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    fileprivate var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
