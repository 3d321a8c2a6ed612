import Foundation

/// Runs images with podman the way these machines allow: runc, vfs storage, cgroupfs, a file event log,
/// bounded ulimits and a short run root of its own that is removed afterwards.
public final class Podman: @unchecked Sendable {
    private let root: String

    public init() throws {
        root = "/tmp/pdm-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// The global flags every podman call needs here.
    public var globalFlags: [String] {
        ["--root", "\(root)/s", "--runroot", "\(root)/r", "--storage-driver", "vfs", "--runtime", "runc",
         "--cgroup-manager", "cgroupfs", "--events-backend", "file"]
    }

    /// `podman run --rm` of `image` (e.g. `oci:/path:tag`) with `network` (`none` or `host`) and extra run flags.
    public func run(_ image: String, network: String = "none", runFlags: [String] = [], arguments: [String] = [], timeout: TimeInterval = 300) throws -> ProcessResult {
        try Self.runRetryingLostExitCode(
            ["podman"] + globalFlags + ["run", "--rm", "--network=\(network)", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
                + runFlags + [image] + arguments,
            timeout: timeout
        )
    }

    /// Runs a podman command line, and again (at most twice more) when podman lost the container's exit code: a race
    /// of `run --rm` with podman's own clean-up process (containers/podman#14859: "getting exit code of container …
    /// from DB: no such exit code", seen once in CI under load after the container had printed its output). The
    /// container did run, so running it again is the same test; any other failure is returned at once.
    public static func runRetryingLostExitCode(_ command: [String], timeout: TimeInterval) throws -> ProcessResult {
        var result = try ProcessRunner.run(command, timeout: timeout)
        for _ in 0..<2 where result.status != 0 && result.output.contains("no such exit code") {
            result = try ProcessRunner.run(command, timeout: timeout)
        }
        return result
    }

    /// Any podman subcommand with the global flags, e.g. `["load", "-i", file]`.
    public func podman(_ arguments: [String], timeout: TimeInterval = 300) throws -> ProcessResult {
        try ProcessRunner.run(["podman"] + globalFlags + arguments, timeout: timeout)
    }

    deinit {
        _ = try? ProcessRunner.run(["podman"] + globalFlags + ["system", "reset", "--force"], timeout: 60)
        _ = try? ProcessRunner.run(["rm", "-rf", root], timeout: 60)
    }
}
