import Foundation
import StevedoreCore
import StevedoreProcess
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct ChildProcessTests {
    /// A shell script in a fresh directory, made executable.
    static func script(_ body: String, in directory: TemporaryDirectory, name: String = "child") throws -> String {
        try directory.write(name, "#!/bin/sh\n" + body + "\n", mode: 0o755)
    }

    @Test func capturesBothStreamsAndTheExitStatus() async throws {
        let output = try await ChildProcess("sh", ["-c", "echo out; echo err >&2; exit 3"]).run()
        #expect(output.status == .exited(3))
        #expect(!output.status.isSuccess)
        #expect(output.outputText == "out")
        #expect(output.errorText == "err")
        #expect(!output.isTruncated)
    }

    @Test func passesArgumentsEnvironmentAndWorkingDirectory() throws {
        let directory = try TemporaryDirectory("process-cwd")
        let output = try ChildProcess(
            "sh", ["-c", "printf '%s|%s|%s' \"$1\" \"$GREETING\" \"$(pwd -P)\"", "sh", "two words"],
            environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"],
            workingDirectory: directory.path
        ).runAndWait()
        let resolved = URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path
        #expect(output.outputText == "two words|hello|\(resolved)")
    }

    @Test func writesStandardInput() throws {
        let output = try ChildProcess("cat").runAndWait(input: .bytes(Array("from stdin".utf8)))
        #expect(output.outputText == "from stdin")
    }

    @Test func aChildThatClosesStandardInputWithoutReadingIsNoError() throws {
        let directory = try TemporaryDirectory("process-stdin")
        let child = try Self.script("exec 0<&-\necho ok", in: directory)
        // More than a pipe holds, so the write must meet the closed end.
        let input = [UInt8](repeating: 0x61, count: 1 << 20)
        for _ in 0..<5 {
            let output = try ChildProcess(child, timeout: .seconds(30)).runAndWait(input: .bytes(input))
            #expect(output.status == .exited(0))
            #expect(output.outputText == "ok")
        }
    }

    @Test func aChildFloodingStandardErrorDoesNotDeadlock() async throws {
        let directory = try TemporaryDirectory("process-flood")
        let child = try Self.script("head -c 204800 /dev/zero >&2\necho done", in: directory)
        let output = try await ChildProcess(child, timeout: .seconds(30)).run(input: .bytes(Array("x".utf8)))
        #expect(output.status == .exited(0))
        #expect(output.outputText == "done")
        #expect(output.standardError.count == 204_800)
    }

    @Test func outputBeyondTheLimitIsCut() throws {
        let output = try ChildProcess("sh", ["-c", "head -c 100000 /dev/zero"], timeout: .seconds(30)).runAndWait(outputLimit: 1000)
        #expect(output.status == .exited(0))
        #expect(output.standardOutput.count == 1000)
        #expect(output.isTruncated)
    }

    @Test func aChildThatHangsIsStoppedAtTheTimeout() async throws {
        let directory = try TemporaryDirectory("process-hang")
        // The shell's own child (sleep) holds the pipes too: the whole group must go.
        let child = try Self.script("sleep 1000", in: directory, name: "docker-credential-hang")
        let started = ContinuousClock.now
        let error = await #expect(throws: StevedoreError.self) {
            try await ChildProcess(child, timeout: .milliseconds(300)).run()
        }
        #expect(error?.code == .programTimedOut)
        #expect(error?.message.contains("docker-credential-hang did not finish within 0.3 s") == true)
        // Stopped, not waited out: the child would run for 1000 s (or forever). The bound is loose on purpose,
        // so that a busy machine does not make it fail.
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test func aChildIgnoringSIGTERMGetsSIGKILL() throws {
        let directory = try TemporaryDirectory("process-term")
        let child = try Self.script("trap '' TERM\nwhile :; do sleep 1; done", in: directory)
        let started = ContinuousClock.now
        #expect(throws: StevedoreError.self) {
            try ChildProcess(child, timeout: .milliseconds(200), terminationGracePeriod: .milliseconds(300)).runAndWait()
        }
        // Stopped, not waited out: the child would run for 1000 s (or forever). The bound is loose on purpose,
        // so that a busy machine does not make it fail.
        #expect(ContinuousClock.now - started < .seconds(120))
    }

    @Test func cancellingTheTaskStopsTheChild() async throws {
        let task = Task { try await ChildProcess("sleep", ["1000"]).run() }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let error = await #expect(throws: StevedoreError.self) { try await task.value }
        #expect(error?.code == .programCancelled)
    }

    @Test func aMissingProgramIsNamed() {
        let error = #expect(throws: StevedoreError.self) {
            try ChildProcess("stevedore-no-such-program", environment: ["PATH": "/nonexistent"]).runAndWait()
        }
        #expect(error?.code == .programNotFound)
        #expect(error?.message == "stevedore-no-such-program is not installed or not on PATH; install it or add its directory to PATH")
    }

    @Test func passingOutputThroughWritesToTheGivenFiles() async throws {
        let directory = try TemporaryDirectory("process-through")
        let path = try directory.write("out.txt", "")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let status = try await ChildProcess("sh", ["-c", "echo through; kill -TERM $$"]).runPassingOutputThrough(standardOutput: handle, standardError: handle)
        try handle.close()
        #expect(status == .signalled(SIGTERM))
        #expect(status.shellStatus == 128 + SIGTERM)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "through\n")
    }

    #if os(Linux)
    /// Even while this process ignores SIGPIPE, as swift-nio makes it do on Linux once a socket is open (and as the
    /// test process does once any in-process registry test ran): the child gets SIGPIPE's default back.
    @Test func theChildStartsWithNoBlockedSignalsAndSIGPIPEAtItsDefault() async throws {
        signal(SIGPIPE, SIG_IGN)
        let output = try await ChildProcess("sh", ["-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status"]).run(input: .bytes([0x61]))
        let fields = Dictionary(uniqueKeysWithValues: output.outputText.split(separator: "\n").map { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), UInt64(parts[1].trimmingCharacters(in: .whitespaces), radix: 16) ?? .max)
        })
        #expect(fields["SigBlk"] == 0)
        #expect((fields["SigIgn"] ?? .max) & (1 << (UInt64(SIGPIPE) - 1)) == 0)
    }
    #endif
}
