import Foundation

/// The outcome of a finished process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Standard output and standard error, for assertions that do not care which.
    public var output: String { stdout + stderr }
}

/// Runs external programs (skopeo, umoci, podman…) for tests; ``StevedoreBinary`` runs `stevedore`.
public enum ProcessRunner {
    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments and waits, at most `timeout` seconds.
    ///
    /// - Parameters:
    ///   - environment: variables added to (or, with `nil` values, removed from) the test's environment.
    ///   - stdin: bytes written to standard input, which is then closed.
    @discardableResult
    public static func run(
        _ arguments: [String],
        environment: [String: String?] = [:],
        currentDirectory: String? = nil,
        stdin: String? = nil,
        timeout: TimeInterval = 600
    ) throws -> ProcessResult {
        precondition(!arguments.isEmpty)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("out-\(UUID().uuidString)")
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        let out = try FileHandle(forWritingTo: outFile)
        let err = try FileHandle(forWritingTo: errFile)
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? out.close()
        try? err.close()
        let stdout = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        var stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        if Date() >= deadline { stderr += "\n[ProcessRunner: killed after \(Int(timeout)) s]" }
        return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Whether `tool` is on PATH.
    public static func isAvailable(_ tool: String) -> Bool {
        (try? run(["sh", "-c", "command -v \(tool)"]).status) == 0
    }
}
