import Foundation
import StevedoreTestSupport

/// Programs the CLI tests put into images, compiled once per test process.
enum Fixtures {
    /// A C program that links zlib dynamically and prints its version.
    static let cProgram = Result { try compileC() }
    /// The same C program for linux/arm64, cross-compiled with `aarch64-linux-gnu-gcc` against Debian's
    /// `zlib1g-dev:arm64` (its closure comes from the host's multiarch directory /usr/lib/aarch64-linux-gnu).
    static let cProgramARM64 = Result { try compileC(compiler: "aarch64-linux-gnu-gcc") }
    /// A Swift program built without the static standard library (needs libswiftCore.so and friends).
    static let swiftDynamic = Result { try compileSwift(static: false) }
    /// A Swift program with `-static-stdlib` (still needs glibc, libstdc++…).
    static let swiftStatic = Result { try compileSwift(static: true) }

    private static let directory: String = {
        let path = "/tmp/stevedore-fixtures-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    private static func compileC(compiler: String = "cc") throws -> String {
        // hello.c and hello-c for every compiler (the names are in the symbol table and the image), each in its own directory.
        let sourceDirectory = compiler == "cc" ? directory : "\(directory)/\(compiler)"
        try FileManager.default.createDirectory(atPath: sourceDirectory, withIntermediateDirectories: true)
        let source = "\(sourceDirectory)/hello.c"
        try """
            #include <stdio.h>
            #include <zlib.h>
            int main(int argc, char **argv) {
                printf("hello from c with zlib %s\\n", zlibVersion());
                for (int i = 1; i < argc; i++) printf("arg %s\\n", argv[i]);
                return 0;
            }
            """.write(toFile: source, atomically: true, encoding: .utf8)
        let output = "\(sourceDirectory)/hello-c"
        let result = try ProcessRunner.run([compiler, "-O2", "-o", output, source, "-lz"])
        guard result.status == 0 else { throw FixtureError(message: "\(compiler) failed: \(result.output)") }
        return output
    }

    private static func compileSwift(static isStatic: Bool) throws -> String {
        let source = "\(directory)/main.swift"
        try """
            import Foundation
            let name = ProcessInfo.processInfo.environment["GREETING_NAME"] ?? "nobody"
            print("hello from swift, \\(name), running as uid \\(getuid())")
            """.write(toFile: source, atomically: true, encoding: .utf8)
        let output = "\(directory)/hello-swift-\(isStatic ? "static" : "dynamic")"
        let result = try ProcessRunner.run(["swiftc", "-O", "-o", output, source] + (isStatic ? ["-static-stdlib"] : []), timeout: 900)
        guard result.status == 0 else { throw FixtureError(message: "swiftc failed: \(result.output)") }
        return output
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// The manifest digest at the end of `build`'s last output line (`LOCATION@sha256:…`).
func digest(of result: ProcessResult) -> String? {
    result.stdout.split(separator: "\n").last.flatMap { line in
        line.range(of: "@sha256:").map { String(line[line.index($0.lowerBound, offsetBy: 1)...]) }
    }
}

/// Parses JSON output.
func json(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}
