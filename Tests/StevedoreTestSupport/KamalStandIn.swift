import Foundation

/// A stand-in for `kamal` (or `bundle`): a bash script that records its argv, environment and working
/// directory into files, prints a line on each output stream and exits with `KAMAL_EXIT_STATUS`.
public struct KamalStandIn: Sendable {
    public let directory: TemporaryDirectory
    /// The script's path.
    public let path: String

    public init(name: String = "kamal", in directory: TemporaryDirectory) throws {
        self.directory = directory
        path = directory.appending("bin/\(name)")
        // Written by a child shell, not by this process: a file this process has open for writing could leak
        // into a process another test forks at that moment, and running the script would then fail with
        // "text file busy".
        try ProcessRunner.run(["sh", "-c", "mkdir -p \"$(dirname \"$0\")\" && cat > \"$0\" && chmod 755 \"$0\"", path], stdin: """
        #!/bin/bash
        record="$KAMAL_RECORD_DIR"
        printf '%s\\n' "$@" > "$record/argv"
        env -0 > "$record/env"
        pwd > "$record/pwd"
        echo "kamal stand-in: deploying version $4"
        echo "kamal stand-in: a warning on stderr" >&2
        exit "${KAMAL_EXIT_STATUS:-0}"

        """)
    }

    /// The directory holding the script, for `PATH`.
    public var binDirectory: String { directory.appending("bin") }
    /// Where the records go; give it to the script as `KAMAL_RECORD_DIR`.
    public var recordDirectory: String { directory.path }

    /// Whether the stand-in ran.
    public var ran: Bool { FileManager.default.fileExists(atPath: directory.appending("argv")) }

    /// The arguments it received, without the program name.
    public func argv() throws -> [String] {
        let text = try String(contentsOfFile: directory.appending("argv"), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// The environment it received.
    public func environment() throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.appending("env")))
        var result: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    /// The directory it ran in.
    public func workingDirectory() throws -> String {
        try String(contentsOfFile: directory.appending("pwd"), encoding: .utf8).trimmingCharacters(in: .newlines)
    }
}

/// A file to hand a child process as its standard output or error, read back afterwards.
public struct CapturedOutput {
    public let path: String
    public let handle: FileHandle

    public init(in directory: TemporaryDirectory, name: String) throws {
        path = try directory.write(name, "")
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    public func text() throws -> String {
        try handle.close()
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}
