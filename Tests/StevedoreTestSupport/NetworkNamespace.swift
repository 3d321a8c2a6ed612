import Foundation

/// A private network and mount namespace with its own loopback interface and `/etc/hosts`, held open by a
/// sleeping process: servers in it may bind fixed ports (443, 80) without meeting any other process, and a
/// name such as `ghcr.io` resolves to 127.0.0.1 inside it without touching the machine's DNS. Needs root
/// (`unshare`, `nsenter`, `mount --bind`), as the podman tests do.
public final class NetworkNamespace: @unchecked Sendable {
    private let holder: BackgroundProcess

    /// Creates the namespace; each name in `hosts` resolves to 127.0.0.1 inside it.
    public init(directory: String, hosts: [String]) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hostsFile = "\(directory)/hosts"
        try Data(("127.0.0.1 localhost\n" + hosts.map { "127.0.0.1 \($0)\n" }.joined()).utf8).write(to: URL(fileURLWithPath: hostsFile))
        holder = try BackgroundProcess(
            ["unshare", "--net", "--mount", "sh", "-c", "ip link set lo up && mount --bind '\(hostsFile)' /etc/hosts && echo ready && exec sleep 3600"],
            logPath: "\(directory)/namespace.log"
        )
        let deadline = Date().addingTimeInterval(60)
        while !holder.log.contains("ready") {
            guard holder.isRunning, Date() < deadline else {
                holder.stop()
                throw TestServerError("cannot make a network namespace (unshare, ip, mount):\n\(holder.log)")
            }
            usleep(20_000)
        }
    }

    /// The prefix that runs a command inside the namespace.
    public var launcher: [String] {
        ["nsenter", "--target", String(holder.processIdentifier), "--net", "--mount"]
    }

    public func stop() { holder.stop() }

    deinit { holder.stop() }
}
