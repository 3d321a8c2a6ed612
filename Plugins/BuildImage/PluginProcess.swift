import Foundation

/// An error a plugin reports to the user; SwiftPM prints the message and exits non-zero.
struct PluginError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The one way the plugins run a program (plugins cannot link Stevedore's libraries, so this file is shared by
/// symbolic links from each plugin's directory): the child writes to the terminal unless its output is captured,
/// discarded or sent to a log.
enum PluginProcess {
    /// How a program ended and, when captured, its standard output.
    struct Outcome {
        /// The exit status (or the signal number when a signal ended it).
        var status: Int32
        /// Whether it exited (not killed by a signal) with status 0.
        var succeeded: Bool
        /// Standard output when captured, else empty.
        var output: String
    }

    /// Runs `executable` with `arguments` in `directory` (this process's own when `nil`) and waits for it.
    ///
    /// - Parameters:
    ///   - captureOutput: Read standard output into ``Outcome/output`` instead of passing it through; standard error
    ///     goes to the terminal unless `discardingOutput`.
    ///   - discardingOutput: Send standard output and error to `/dev/null`.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil, captureOutput: Bool = false, discardingOutput: Bool = false) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        if captureOutput { process.standardOutput = pipe }
        if discardingOutput {
            if !captureOutput { process.standardOutput = FileHandle.nullDevice }
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        let data = captureOutput ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            succeeded: process.terminationReason == .exit && process.terminationStatus == 0,
            output: String(decoding: data, as: UTF8.self)
        )
    }

    /// Runs `arguments[0]`, looked up on `PATH` by `/usr/bin/env`, with the rest as its arguments.
    static func runOnPath(_ arguments: [String], captureOutput: Bool = false, discardingOutput: Bool = false) throws -> Outcome {
        try run(URL(fileURLWithPath: "/usr/bin/env"), arguments, captureOutput: captureOutput, discardingOutput: discardingOutput)
    }

    /// Starts `arguments[0]`, looked up on `PATH`, without waiting for it: its standard output and error go to `log`
    /// (emptied first), and `onExit` runs when it ends.
    static func startOnPath(_ arguments: [String], log: URL, onExit: @escaping @Sendable () -> Void) throws -> Process {
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let output = FileHandle(forWritingAtPath: log.path) else {
            throw PluginError("Cannot write \(log.path).")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        process.terminationHandler = { _ in
            try? output.close()
            onExit()
        }
        try process.run()
        return process
    }
}
