import Foundation
import StevedoreTestSupport
import Testing

/// Bad input gets a specific message and exit code, and leaves nothing half-written.
@Suite(.serialized, .dedicatedThread)
struct BuildErrorTests {
    /// Builds into a fresh directory and returns the result and whether the output was left behind.
    func build(_ arguments: [String], output: (TemporaryDirectory) -> String = { "oci-layout:\($0.appending("out")):t" }) throws -> (ProcessResult, Bool) {
        let work = try TemporaryDirectory("errors")
        let result = try StevedoreBinary.run(["build"] + arguments + ["--output", output(work)])
        return (result, FileManager.default.fileExists(atPath: work.appending("out")))
    }

    @Test func missingExecutable() throws {
        let (result, leftOutput) = try build(["--executable", "/nonexistent/app"])
        #expect(result.status == 66)
        #expect(result.stderr == "error: --executable '/nonexistent/app' does not exist\n")
        #expect(!leftOutput)
    }

    @Test func scriptIsNotAnELFExecutable() throws {
        let work = try TemporaryDirectory("script")
        let script = try work.write("run.sh", "#!/bin/sh\necho hi\n", mode: 0o755)
        let (result, leftOutput) = try build(["--executable", script])
        #expect(result.status == 65)
        #expect(result.stderr.contains("is not an ELF"), "\(result.stderr)")
        #expect(!leftOutput)
    }

    @Test func wrongArchitecture() throws {
        let (result, leftOutput) = try build(["--executable", try Fixtures.cProgram.get(), "--platform", "linux/arm64"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("--platform linux/arm64 does not match the executable"), "\(result.stderr)")
        #expect(result.stderr.contains("built for linux/amd64"), "\(result.stderr)")
        #expect(!leftOutput)
    }

    @Test("invalid syntax names the flag and the fix", arguments: [
        (["--env", "NOEQUALS"], "--env 'NOEQUALS' must be NAME=VALUE"),
        (["--expose", "70000"], "--expose '70000' must be PORT[/tcp|udp]"),
        (["--expose", "80/icmp"], "the protocol must be tcp, udp or sctp"),
        (["--label", "=x"], "--label '=x' must be KEY=VALUE"),
        (["--workdir", "relative"], "--workdir 'relative' must be an absolute path"),
        (["--add", "nothing-here"], "--add 'nothing-here' must be SRC:DEST"),
        (["--entrypoint", "[broken"], "is not a JSON array of strings"),
    ])
    func invalidSyntax(arguments: [String], message: String) throws {
        let (result, leftOutput) = try build(["--executable", try Fixtures.cProgram.get()] + arguments)
        #expect(result.status == 65, "\(result.output)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!leftOutput)
    }

    /// Values that do not parse (references, locations, platforms, tags) are usage errors naming the flag, with
    /// the model's explanation.
    @Test("a value that does not parse is a usage error naming the flag", arguments: [
        (["--platform", "linux"], "invalid platform 'linux'"),
        (["--tag=-bad"], "tag '-bad' must be 1 to 128"),
        (["--push", "ghcr.io/Owner/App:1"], "use 'ghcr.io/owner/app:1'"),
    ])
    func unparsableValue(arguments: [String], message: String) throws {
        let (result, leftOutput) = try build(["--executable", try Fixtures.cProgram.get()] + arguments)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!leftOutput)
    }

    @Test func invalidReferenceSuggestsLowercase() throws {
        let (result, _) = try build(["--executable", try Fixtures.cProgram.get()], output: { "docker-archive:\($0.appending("x.tar")):ghcr.io/Owner/App:1" })
        #expect(result.status == 64)
        #expect(result.stderr.contains("use 'ghcr.io/owner/app:1'"), "\(result.stderr)")
    }

    @Test func missingAddSource() throws {
        let (result, leftOutput) = try build(["--executable", try Fixtures.cProgram.get(), "--add", "/nonexistent:/srv"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("'/nonexistent' does not exist"), "\(result.stderr)")
        #expect(!leftOutput)
    }

    @Test func unwritableOutput() throws {
        let work = try TemporaryDirectory("unwritable")
        let file = try work.write("a-file", "not a directory")
        let result = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(file)/layout:t"])
        #expect(result.status == 73, "\(result.output)")
        #expect(result.stderr.contains("\(file)/layout"), "\(result.stderr)")
        let archive = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get(), "--output", "docker-archive:\(work.appending("missing-dir/x.tar"))"])
        #expect(archive.status == 73, "\(archive.output)")
        #expect(archive.stderr.contains("does not exist"), "\(archive.stderr)")
    }

    @Test("a full disk fails with an I/O error and leaves no partial blob or broken index.json")
    func fullDisk() throws {
        let work = try TemporaryDirectory("full")
        let mountPoint = work.appending("small")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try ProcessRunner.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", mountPoint])
        try #require(mount.status == 0, "mounting a tmpfs needs root: \(mount.output)")
        defer { _ = try? ProcessRunner.run(["umount", mountPoint]) }
        let layout = "\(mountPoint)/layout"
        let result = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(layout):t", "--compression-level", "1"])
        #expect(result.status == 74, "\(result.output)")
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(layout)/blobs/sha256").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        let index = try String(contentsOfFile: "\(layout)/index.json", encoding: .utf8)
        #expect(index == #"{"manifests":[],"mediaType":"application/vnd.oci.image.index.v1+json","schemaVersion":2}"#)
        for blob in try FileManager.default.contentsOfDirectory(atPath: "\(layout)/blobs/sha256") {
            let check = try ProcessRunner.run(["sh", "-c", "sha256sum < '\(layout)/blobs/sha256/\(blob)'"])
            #expect(check.stdout.hasPrefix(blob), "blob \(blob) is not complete")
        }
    }
}
