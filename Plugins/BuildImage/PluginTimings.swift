// Shared by the BuildImage and PushImage plugins (PushImage links this file).
import Foundation
import PackagePlugin
#if canImport(Glibc)
import Glibc
#endif

/// The plugins' part of `--verbose`: how long the tool check took (SwiftPM readying the plugin, and the tool when it
/// provides it; on Linux, the plugin's own build of the tool) and how long the product build took, one line each, in the shape of the
/// engine's own timing lines (`stevedore package-image --verbose` times layer planning, layers, write and push).
struct PluginTimings {
    /// Whether `--verbose` was given (it is also passed on to `stevedore package-image`).
    let enabled: Bool

    /// Timings are printed when the plugin's arguments hold `--verbose` or `-v` before any `--`.
    init(arguments: [String]) {
        let options = arguments.prefix { $0 != "--" }
        enabled = options.contains("--verbose") || options.contains("-v")
    }

    /// Prints `timing: <phase> <seconds> s (<detail>)`, or `unknown` when the time could not be measured, as SwiftPM's
    /// progress (`[BuildImage] timing: …`), which keeps its place among SwiftPM's own build messages.
    func report(_ phase: String, seconds: Double?, detail: String? = nil) {
        guard enabled else { return }
        let time = seconds.map { String(format: "%.2f s", $0) } ?? "unknown"
        Diagnostics.progress("timing: \(phase) \(time)" + (detail.map { " (\($0))" } ?? ""))
    }

    /// Prints the line of a phase that started at `start` and ends now.
    func report(_ phase: String, since start: ContinuousClock.Instant, detail: String? = nil) {
        let elapsed = (ContinuousClock.now - start).components
        report(phase, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18, detail: detail)
    }

    /// Seconds since the `swift-package` process that runs this plugin started, read from `/proc` (its start in
    /// clock ticks since boot, field 22 of `/proc/<pid>/stat`, against `/proc/uptime`); `nil` where there is no
    /// `/proc` (macOS) or no such ancestor, so that the line says `unknown` rather than a wrong figure.
    static func secondsSinceSwiftPackageStarted() -> Double? {
        #if os(Linux)
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard ticksPerSecond > 0,
              let uptimeText = procFile("/proc/uptime"),
              let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        var pid = getppid()
        // The plugin is SwiftPM's child; a few levels allow for a wrapper in between.
        for _ in 0..<8 where pid > 1 {
            guard let status = procFile("/proc/\(pid)/status") else { return nil }
            let fields = Dictionary(status.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }, uniquingKeysWith: { first, _ in first })
            if fields["Name"] == "swift-package" {
                // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
                guard let stat = procFile("/proc/\(pid)/stat"),
                      let close = stat.lastIndex(of: ")")
                else { return nil }
                let rest = stat[stat.index(after: close)...].split(separator: " ")
                // rest[0] is field 3 (the state), so field 22 (starttime) is rest[19].
                guard rest.count > 19, let startTicks = Double(rest[19]) else { return nil }
                let seconds = uptime - startTicks / ticksPerSecond
                return seconds >= 0 ? seconds : nil
            }
            guard let parent = fields["PPid"].flatMap({ Int32($0) }) else { return nil }
            pid = parent
        }
        #endif
        return nil
    }

    /// A `/proc` file's text, read to its end (their size is reported as 0).
    private static func procFile(_ path: String) -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        return String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
    }
}
