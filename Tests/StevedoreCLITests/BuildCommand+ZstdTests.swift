import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore build --compression zstd` judged by `stevedore verify`, skopeo and podman (runc, vfs).
@Suite(.serialized, .dedicatedThread)
struct BuildCommandZstdTests {
    static let zstdLayer = "application/vnd.oci.image.layer.v1.tar+zstd"

    /// The media types of the layers of `oci:LAYOUT:TAG`, as skopeo reads the manifest.
    func layerTypes(_ image: String) throws -> [String] {
        let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", image])
        #expect(raw.status == 0, "\(raw.output)")
        return (json(raw.stdout)["layers"] as? [[String: Any]] ?? []).compactMap { $0["mediaType"] as? String }
    }

    @Test("a C program in zstd layers: same digest with 1 and 2 threads, verified, read by skopeo, run by podman", .timeLimit(.minutes(10)))
    func cProgramInZstdLayers() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("zstd-image")
        var digests: [String] = []
        for threads in ["1", "2"] {
            let build = try StevedoreBinary.run([
                "build", "--executable", executable, "--compression", "zstd", "--threads", threads,
                "--output", "oci-layout:\(work.appending("layout-\(threads)")):v1",
            ], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
            #expect(build.status == 0, "\(build.output)")
            digests.append(try #require(digest(of: build)))
        }
        #expect(digests[0] == digests[1])
        let layout = work.appending("layout-2")
        let blobs = { (path: String) in try FileManager.default.contentsOfDirectory(atPath: "\(path)/blobs/sha256").sorted() }
        #expect(try blobs(work.appending("layout-1")) == blobs(layout))
        let types = try layerTypes("oci:\(layout):v1")
        #expect(types == [Self.zstdLayer, Self.zstdLayer])

        let verify = try StevedoreBinary.run(["verify", "oci-layout:\(layout):v1"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.stdout.contains("OK (1 manifest, 2 layers)"), "\(verify.output)")
        let inspect = try ProcessRunner.run(["skopeo", "inspect", "oci:\(layout):v1"])
        #expect(inspect.status == 0, "\(inspect.output)")
        let copy = work.appending("copy")
        let copied = try ProcessRunner.run(["skopeo", "copy", "oci:\(layout):v1", "oci:\(copy):v1"])
        #expect(copied.status == 0, "\(copied.output)")
        #expect(try layerTypes("oci:\(copy):v1") == [Self.zstdLayer, Self.zstdLayer])
        let verifyCopy = try StevedoreBinary.run(["verify", "oci-layout:\(copy):v1"])
        #expect(verifyCopy.status == 0, "\(verifyCopy.output)")

        let podman = try Podman()
        let run = try podman.run("oci:\(layout):v1", arguments: ["x"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("hello from c with zlib"), "\(run.output)")
        #expect(run.stdout.contains("arg x"), "\(run.output)")
    }

    @Test("a zstd base under gzip layers, and a docker-archive of zstd layers that podman loads", .timeLimit(.minutes(10)))
    func zstdBaseAndDockerArchive() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("zstd-base")
        let base = work.appending("base")
        let archive = work.appending("image.tar")
        let baseBuild = try StevedoreBinary.run([
            "build", "--executable", executable, "--compression", "zstd:19", "--output", "oci-layout:\(base):v1",
            "--output", "docker-archive:\(archive):example.com/hello-zstd:v1",
        ])
        #expect(baseBuild.status == 0, "\(baseBuild.output)")

        let file = work.appending("note.txt")
        try Data("on top of zstd\n".utf8).write(to: URL(fileURLWithPath: file))
        let layout = work.appending("layout")
        let build = try StevedoreBinary.run([
            "build", "--from", "oci-layout:\(base):v1", "--add", "\(file):/note.txt", "--output", "oci-layout:\(layout):v1",
        ])
        #expect(build.status == 0, "\(build.output)")
        let types = try layerTypes("oci:\(layout):v1")
        #expect(types.count == 3)
        #expect(types.prefix(2).allSatisfy { $0 == Self.zstdLayer })
        #expect(types.last == "application/vnd.oci.image.layer.v1.tar+gzip")
        let verify = try StevedoreBinary.run(["verify", "oci-layout:\(layout):v1"])
        #expect(verify.status == 0, "\(verify.output)")

        let podman = try Podman()
        let run = try podman.run("oci:\(layout):v1")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("hello from c with zlib"), "\(run.output)")

        let archiveInspect = try ProcessRunner.run(["skopeo", "inspect", "docker-archive:\(archive)"])
        #expect(archiveInspect.status == 0, "\(archiveInspect.output)")
        let load = try podman.podman(["load", "-i", archive])
        #expect(load.status == 0, "\(load.output)")
        let runLoaded = try podman.run("example.com/hello-zstd:v1")
        #expect(runLoaded.stdout.contains("hello from c with zlib"), "\(runLoaded.output)")
    }

    @Test("--compression-level is gzip's: with zstd it is a usage error")
    func compressionLevelWithZstdIsAUsageError() throws {
        let work = try TemporaryDirectory("zstd-usage")
        let result = try StevedoreBinary.run([
            "build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(work.appending("l")):t",
            "--compression", "zstd", "--compression-level", "5",
        ])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("--compression zstd:LEVEL"), "\(result.output)")
        let range = try StevedoreBinary.run([
            "build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(work.appending("l")):t", "--compression", "zstd:22",
        ])
        #expect(range.status == 64, "\(range.output)")
        #expect(range.output.contains("zstd level 22 is out of range"), "\(range.output)")
    }
}
