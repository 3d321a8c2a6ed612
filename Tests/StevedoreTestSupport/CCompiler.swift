import Foundation

/// Compiles C sources with the system's `cc` inside a test's temporary directory.
public struct CCompiler: Sendable {
    public let directory: TemporaryDirectory

    public init(directory: TemporaryDirectory) {
        self.directory = directory
    }

    /// Writes `source` to `name.c` and compiles it to `output` (relative to the directory) with `arguments`.
    ///
    /// - Throws: ``TestServerError`` with the compiler's output when `cc` fails.
    @discardableResult
    public func compile(_ source: String, to output: String, _ arguments: [String] = []) throws -> String {
        let sourcePath = try directory.write("src/\((output as NSString).lastPathComponent).c", source)
        let outputPath = directory.appending(output)
        try FileManager.default.createDirectory(atPath: (outputPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let result = try ProcessRunner.run(["cc", sourcePath, "-o", outputPath] + arguments, timeout: 120)
        guard result.status == 0 else { throw TestServerError("cc failed: \(result.output)") }
        return outputPath
    }

    /// Compiles a shared library exporting `int name(void) { return value; }`.
    @discardableResult
    public func sharedLibrary(_ output: String, function name: String, returning value: Int, _ arguments: [String] = []) throws -> String {
        try compile("int \(name)(void) { return \(value); }\n", to: output, ["-shared", "-fPIC"] + arguments)
    }

    /// Whether `cc -m32` can link a program on this machine.
    public static let canLink32Bit: Bool = {
        guard let directory = try? TemporaryDirectory("elf-m32"),
              let source = try? directory.write("probe.c", "int main(void) { return 0; }\n"),
              let result = try? ProcessRunner.run(["cc", "-m32", source, "-o", directory.appending("probe")], timeout: 60)
        else { return false }
        return result.status == 0
    }()
}
