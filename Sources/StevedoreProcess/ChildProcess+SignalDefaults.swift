#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension ChildProcess {
    /// The program and arguments that start `path` with `arguments` and SIGPIPE at its default disposition.
    ///
    /// A signal this process ignores stays ignored in a child across `exec`, and on Linux swift-nio ignores SIGPIPE
    /// for the whole process once it opens a socket (Linux has no per-socket `SO_NOSIGPIPE`). Foundation's `Process`
    /// cannot reset a disposition for the child, and setting SIGPIPE back to its default here, even for a moment,
    /// could end Stevedore on a write to a closed socket. So while SIGPIPE is ignored, the child is started through
    /// GNU `env --default-signal=PIPE`, which resets it just before `exec`: a shell pipeline in a credential helper or
    /// in Kamal ends quietly when its reader goes away, as it does when started from a terminal.
    static func launchCommand(path: String, arguments: [String]) -> (path: String, arguments: [String]) {
        #if os(Linux)
        guard Self.ignoresSIGPIPE(), let env = SignalDefaultingLauncher.path else { return (path, arguments) }
        return (env, ["--default-signal=PIPE", path] + arguments)
        #else
        return (path, arguments)
        #endif
    }

    /// Whether this process ignores SIGPIPE now.
    static func ignoresSIGPIPE() -> Bool {
        var current = sigaction()
        guard sigaction(SIGPIPE, nil, &current) == 0 else { return false }
        #if os(Linux)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
        #else
        return false
        #endif
    }
}

/// GNU coreutils' `env`, when it has `--default-signal` (coreutils 8.31 and later; Debian 11, Ubuntu 20.04 on):
/// checked once per process by running `env --default-signal=PIPE true`.
enum SignalDefaultingLauncher {
    static let path: String? = {
        let candidate = "/usr/bin/env"
        guard FileManager.default.isExecutableFile(atPath: candidate) else { return nil }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: candidate)
        probe.arguments = ["--default-signal=PIPE", "true"]
        probe.standardInput = FileHandle.nullDevice
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do {
            try probe.run()
        } catch {
            return nil
        }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? candidate : nil
    }()
}
