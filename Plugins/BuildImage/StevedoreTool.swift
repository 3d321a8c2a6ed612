// Shared by the four plugins (the others link this file).
import Foundation
import PackagePlugin

/// Where the plugins get the `stevedore` executable.
///
/// The prebuilt plugin package declares it (an artifact bundle), and SwiftPM hands it over; so does Stevedore's source
/// package outside Linux, where plugins run in SwiftPM's sandbox (a build inside it is untried). On Linux the source package
/// declares no tool: SwiftPM would plan the tool's whole build graph again before every run of a plugin (~7 s on two
/// cores, measured: most of an edit → image loop), whereas `swift build` in a scratch directory of its own keeps its
/// plan and finds an up-to-date tool in about a second. So the plugin builds the tool there, `<scratch>/stevedore/tool`
/// (one build for all four plugins), while `build-image` builds the product beside it (on first use, both compile
/// together).
enum StevedoreTool {
    /// The tool SwiftPM provides to the plugin, or else a build of it started in the background.
    static func start(context: PluginContext) throws -> Provision {
        if let provided = try? context.tool(named: "stevedore") { return .provided(provided.url) }
        let scratch = try BuildScratch(named: "tool", context: context)
        return .building(try ToolBuild(scratch: scratch))
    }

    /// SwiftPM's scratch directory: a command plugin's work directory is `<scratch>/plugins/<plugin>/outputs`; the
    /// package's `.build/` if SwiftPM ever lays it out otherwise.
    static func scratchDirectory(of context: PluginContext) -> URL {
        let work = context.pluginWorkDirectoryURL.standardizedFileURL
        let plugins = work.deletingLastPathComponent().deletingLastPathComponent()
        guard work.lastPathComponent == "outputs", plugins.lastPathComponent == "plugins" else {
            return context.package.directoryURL.appendingPathComponent(".build")
        }
        return plugins.deletingLastPathComponent()
    }

    /// The `stevedore` executable, ready or on its way.
    enum Provision {
        /// SwiftPM built or unpacked it before the plugin started.
        case provided(URL)
        /// `swift build --product stevedore` is running.
        case building(ToolBuild)

        /// The executable, waiting for its build if there is one.
        func executable() throws -> URL {
            switch self {
            case .provided(let url): return url
            case .building(let build): return try build.finish()
            }
        }

        /// Seconds the tool's own build took, `nil` when SwiftPM provided the tool.
        var buildSeconds: Double? {
            guard case .building(let build) = self else { return nil }
            return build.seconds
        }
    }
}

/// A scratch directory of the plugins' own, `<SwiftPM's>/stevedore/<name>`, for `swift build --package-path <package>`.
struct BuildScratch {
    /// The directory.
    let url: URL
    /// The package built in it.
    let package: URL
    /// Whether the directory is new. SwiftPM plans the first build after one from nothing again (measured on two cores:
    /// ~4 s for the tool's graph), so a new directory gets a second, null build at once (``settlingArguments``): that
    /// cost then falls on the first use, not on the first edit.
    let isNew: Bool
    /// Whether another package was built here last (one `--scratch-path` shared by several packages). SwiftPM's cached
    /// build plan does not notice a new root package ("No target named … in build description"), so that build goes
    /// without the cache.
    let builtOtherPackage: Bool
    /// The file that names the package last built here.
    private let marker: URL

    /// The directory `name` inside SwiftPM's scratch directory, for the plugin's package. A new one starts with a copy
    /// of SwiftPM's checked-out dependencies (`checkouts`, `repositories`, `artifacts` and the `workspace-state.json`
    /// that lists them, whose only absolute paths are path dependencies'): else `swift build` checks every dependency
    /// out again (measured: ~15 s and 231 MB for a swift-nio server depending on Stevedore, against ~2 s to copy).
    init(named name: String, context: PluginContext) throws {
        let swiftPM = StevedoreTool.scratchDirectory(of: context)
        url = swiftPM.appendingPathComponent("stevedore").appendingPathComponent(name)
        package = context.package.directoryURL
        marker = url.appendingPathComponent("stevedore-package-path")
        isNew = !FileManager.default.fileExists(atPath: url.path)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if isNew { Self.seed(url, from: swiftPM) }
        // Unknown (no marker in an old directory) counts as another package.
        builtOtherPackage = !isNew && (try? String(contentsOf: marker, encoding: .utf8)) != package.path
    }

    /// Copies SwiftPM's checked-out dependencies into the new directory `url`, the state file last; a copy that fails
    /// is removed (SwiftPM then checks the dependencies out itself: it only costs the time the copy would have saved).
    private static func seed(_ url: URL, from swiftPM: URL) {
        let manager = FileManager.default
        var copied: [URL] = []
        for entry in ["checkouts", "repositories", "artifacts", "workspace-state.json"] {
            let source = swiftPM.appendingPathComponent(entry)
            guard manager.fileExists(atPath: source.path) else { continue }
            let copy = url.appendingPathComponent(entry)
            let outcome = try? PluginProcess.runOnPath(["cp", "-a", source.path, copy.path], discardingOutput: true)
            copied.append(copy)
            guard outcome?.succeeded == true else {
                for item in copied { try? manager.removeItem(at: item) }
                return
            }
        }
    }

    /// `swift build` in this directory with `options`.
    func arguments(_ options: [String]) -> [String] {
        swiftBuild + (builtOtherPackage ? ["--disable-build-manifest-caching"] : []) + options
    }

    /// The build to run after a successful one, at once: a null build when the directory was new, else none.
    func settlingArguments(_ options: [String]) -> [String]? {
        isNew ? swiftBuild + options : nil
    }

    private var swiftBuild: [String] {
        ["swift", "build", "--package-path", package.path, "--scratch-path", url.path]
    }

    /// The executable `name` that `swift build` with `options` made: in `<scratch>/<configuration>`, SwiftPM's link to
    /// `<triple>/<configuration>`, or else where `--show-bin-path` says (one more SwiftPM start, ~0.35 s).
    func executable(_ name: String, configuration: String, options: [String]) throws -> URL {
        let linked = url.appendingPathComponent(configuration).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: linked.path) { return linked }
        let binPath = try PluginProcess.runOnPath(arguments(options) + ["--show-bin-path"], captureOutput: true)
        guard binPath.succeeded, let directory = binPath.output.split(separator: "\n").last else {
            throw PluginError("Could not find where `swift build` put '\(name)' (\(url.path)).")
        }
        return URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
    }

    /// Notes, after a successful build, which package this directory holds.
    func recordBuilt() {
        try? Data(package.path.utf8).write(to: marker)
    }
}

/// `swift build --product stevedore` in the package's own graph (its `Package.resolved`, its mirrors), running in the
/// background with its output in `<scratch>/build.log`, shown when it fails.
struct ToolBuild {
    let scratch: BuildScratch
    let arguments: [String]
    let log: URL
    private let process: Process
    private let exit: ExitClock

    init(scratch: BuildScratch) throws {
        self.scratch = scratch
        log = scratch.url.appendingPathComponent("build.log")
        arguments = scratch.arguments(["--product", "stevedore"])
        let exit = ExitClock()
        process = try PluginProcess.startOnPath(arguments, log: log) { exit.record() }
        self.exit = exit
    }

    /// Seconds from the start to the end of the build (so far, while it runs).
    var seconds: Double { exit.seconds }

    /// Stops the build (when the product's build failed) and waits for it: nothing is left running after the plugin.
    func cancel() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Waits for the build and returns the tool; throws, after printing the end of its log, when it failed.
    func finish() throws -> URL {
        if process.isRunning {
            Diagnostics.progress("Waiting for the stevedore tool's build (it compiles on first use and after Stevedore changes; its log: \(log.path))…")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            FileHandle.standardError.write(Data(text.split(separator: "\n", omittingEmptySubsequences: false).suffix(60).joined(separator: "\n").utf8))
            throw PluginError("Building the stevedore tool failed (`\(arguments.joined(separator: " "))`, exit status \(process.terminationStatus)); the end of its log is above, all of it in \(log.path).")
        }
        if let settling = scratch.settlingArguments(["--product", "stevedore"]) {
            _ = try PluginProcess.runOnPath(settling, discardingOutput: true)
            exit.record()
        }
        scratch.recordBuilt()
        return try scratch.executable("stevedore", configuration: "debug", options: ["--product", "stevedore"])
    }
}

/// When a background build ended, set from `Process`'s termination handler (another thread).
private final class ExitClock: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var end: ContinuousClock.Instant?

    func record() {
        lock.withLock { end = ContinuousClock.now }
    }

    var seconds: Double {
        let elapsed = (lock.withLock { end } ?? ContinuousClock.now) - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
