import ArgumentParser
import StevedoreArchive
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import StevedoreAuth
import StevedoreCore
import StevedoreJobs
import StevedoreRegistry

/// Flags shared by the commands that talk to registries: credentials, trust, limits, output.
struct RegistryOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The user name for the registry; the password is read with --password-stdin.", valueName: "NAME"))
    var username: String?

    @Flag(help: "Read the password or token from standard input (it is never accepted on the command line).")
    var passwordStdin = false

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("A PEM file of extra certificate authorities to trust (SSL_CERT_FILE is read too).", valueName: "FILE"))
    var caFile: String?

    @Option(name: .customLong("insecure-registry"), help: ArgumentHelp("A registry that may be reached over plain HTTP (repeatable); localhost and 127.0.0.1 always may.", valueName: "HOST[:PORT]"))
    var insecureRegistry: [String] = []

    @Option(help: ArgumentHelp("The longest the whole transfer may take, retries and response bodies included, in seconds (at most a week).", valueName: "SECONDS"))
    var timeout: Double = 1800

    @Option(help: ArgumentHelp("How many times one request is tried before giving up.", valueName: "N"))
    var retries: Int = 8

    @Option(help: ArgumentHelp("How many blobs move at once.", valueName: "N"))
    var jobs: Int = 4

    @Option(name: .customLong("digest-file"), help: ArgumentHelp("Write the resulting REF@sha256:… to this file.", valueName: "FILE"))
    var digestFile: String?

    @Flag(help: "Print only the result (no progress).")
    var quiet = false

    @Flag(name: [.customLong("verbose"), .customShort("v")], help: "Log each request (never credentials); package-image also prints how long each phase took.")
    var verbose = false

    /// The largest `--timeout`: one week.
    static let maximumTimeout: Double = 7 * 24 * 3600

    func validate() throws {
        if username != nil && !passwordStdin {
            throw ValidationError("--username needs --password-stdin: pass the password on standard input, e.g. `echo \"$TOKEN\" | stevedore … --username NAME --password-stdin`")
        }
        if passwordStdin && username == nil {
            throw ValidationError("--password-stdin needs --username")
        }
        guard timeout.isFinite, timeout > 0, timeout <= Self.maximumTimeout else {
            throw ValidationError("--timeout must be a number of seconds between 0 and \(Int(Self.maximumTimeout)) (one week), not \(timeout)")
        }
        guard (1...100).contains(retries) else { throw ValidationError("--retries must be between 1 and 100") }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs must be between 1 and 64") }
    }

    /// The password from standard input, without its final line break.
    static func readPasswordFromStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else {
            throw StevedoreError(.invalidCredential, "--password-stdin read an empty password; pipe the password or token into the command")
        }
        return text
    }

    /// How to reach registries, with the explicit credential (if any) for `registry`. `registry` (the push
    /// target, or the one registry a command reads) is also the only one `STEVEDORE_REGISTRY_USERNAME`/
    /// `PASSWORD` go to when `STEVEDORE_REGISTRY` is not set.
    func configuration(explicitFor registry: String?) throws -> RegistryConfiguration {
        var explicit: (registry: String?, credential: Credential)?
        if let username, passwordStdin {
            explicit = (registry, Credential(username: username, secret: try Self.readPasswordFromStandardInput(), origin: "--password-stdin"))
        }
        #if canImport(Glibc)
        // Blobs stream in 1 MiB buffers across many threads; with glibc's sliding mmap threshold they would
        // pile up in per-thread heaps (peak RSS ~105 MB for a 520 MB push, ~70 MB with a fixed threshold).
        Self.fixMallocMmapThreshold()
        #endif
        let progress: any TransferProgress = switch progressStyle {
        case .silent: SilentTransferProgress()
        case .terminal: TerminalTransferProgress()
        case .lines: LineTransferProgress()
        }
        var logger = Logger(label: "stevedore.registry")
        logger.logLevel = verbose ? .debug : .warning
        return RegistryConfiguration(
            credentials: CredentialResolver(explicit: explicit, environmentRegistry: registry),
            caFile: caFile,
            insecureRegistries: Set(insecureRegistry.map(ImageReference.normalizedRegistry)),
            retryPolicy: RetryPolicy(maximumAttempts: retries),
            timeout: timeout,
            idleTimeout: Self.idleTimeout(ProcessInfo.processInfo.environment),
            maximumConcurrentTransfers: jobs,
            progress: progress,
            logger: logger
        )
    }

    /// How progress is shown: nothing with `--quiet`, redrawn lines on a terminal, else (CI, a pipe) one line per
    /// blob or layer.
    var progressStyle: ProgressStyle {
        if quiet { return .silent }
        return isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil ? .terminal : .lines
    }

    /// How the layers of a build are shown, in ``progressStyle``.
    var layerProgress: any LayerProgress {
        switch progressStyle {
        case .silent: SilentLayerProgress()
        case .terminal: TerminalLayerProgress()
        case .lines: LineLayerProgress()
        }
    }

    enum ProgressStyle { case silent, terminal, lines }

    /// `STEVEDORE_REGISTRY_IDLE_TIMEOUT`: seconds a response may go without a byte (default 30).
    static func idleTimeout(_ environment: [String: String]) -> Double {
        guard let text = environment["STEVEDORE_REGISTRY_IDLE_TIMEOUT"], let seconds = Double(text), seconds.isFinite, seconds > 0 else {
            return RegistryConfiguration.defaultIdleTimeout
        }
        return seconds
    }

    #if canImport(Glibc)
    /// `mallopt(M_MMAP_THRESHOLD, 128 KiB)`, found at run time (glibc's `malloc.h` is not in Swift's Glibc module).
    private static func fixMallocMmapThreshold() {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD in <malloc.h>
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(mmapThreshold, 128 * 1024)
    }
    #endif

    /// Prints the result on standard output and writes it to `--digest-file`.
    func report(_ line: String) throws {
        print(line)
        if let digestFile {
            do {
                try Data((line + "\n").utf8).write(to: URL(fileURLWithPath: digestFile), options: .atomic)
            } catch {
                throw StevedoreError(.unusableLocation, "cannot write --digest-file \(digestFile): \(error.localizedDescription)")
            }
        }
    }
}
