import Foundation
import StevedoreTestSupport
import Testing

/// `stevedore build --from scratch` judged by umoci, oci-image-tool, skopeo and podman.
@Suite(.serialized, .dedicatedThread)
struct BuildCommandTests {
    @Test("a dynamically linked C program runs from scratch", .timeLimit(.minutes(10)))
    func cProgramFromScratch() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("c-image")
        let layout = work.appending("layout")
        let archive = work.appending("image.tar")
        let result = try StevedoreBinary.run([
            "build", "--executable", executable,
            "--output", "oci-layout:\(layout):v1", "--output", "docker-archive:\(archive):example.com/hello-c:v1",
            "--env", "GREETING=hi", "--label", "org.example.team=core", "--cmd", "first", "--expose", "8080",
            "--annotation", "org.example.note=test",
        ])
        #expect(result.status == 0, "\(result.output)")
        let manifestDigest = try #require(digest(of: result))

        let unpack = try ProcessRunner.run(["umoci", "unpack", "--image", "\(layout):v1", work.appending("bundle")])
        #expect(unpack.status == 0, "\(unpack.output)")
        #expect(FileManager.default.fileExists(atPath: work.appending("bundle/rootfs/usr/local/bin/hello-c")))
        #expect(FileManager.default.fileExists(atPath: work.appending("bundle/rootfs/etc/passwd")))
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=v1", layout])
        #expect(validate.status == 0, "\(validate.output)")

        let inspect = try ProcessRunner.run(["skopeo", "inspect", "--config", "oci:\(layout):v1"])
        #expect(inspect.status == 0, "\(inspect.output)")
        let config = json(inspect.stdout)["config"] as? [String: Any] ?? [:]
        #expect(config["Entrypoint"] as? [String] == ["/usr/local/bin/hello-c"])
        #expect(config["Cmd"] as? [String] == ["first"])
        #expect((config["Env"] as? [String] ?? []).contains("GREETING=hi"))
        #expect((config["Labels"] as? [String: String])?["org.example.team"] == "core")
        #expect(config["User"] as? String == "65532:65532")
        let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(layout):v1"])
        #expect(raw.stdout.contains("\"org.example.note\":\"test\""))

        let podman = try Podman()
        let run = try podman.run("oci:\(layout):v1", arguments: ["x", "y"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("hello from c with zlib"))
        #expect(run.stdout.contains("arg x\narg y"))

        let archiveInspect = try ProcessRunner.run(["skopeo", "inspect", "docker-archive:\(archive)"])
        #expect(archiveInspect.status == 0, "\(archiveInspect.output)")
        #expect(archiveInspect.stdout.contains("\"org.example.team\": \"core\""))
        let load = try podman.podman(["load", "-i", archive])
        #expect(load.status == 0, "\(load.output)")
        #expect(load.output.contains("example.com/hello-c:v1"))
        let runLoaded = try podman.run("example.com/hello-c:v1")
        #expect(runLoaded.stdout.contains("hello from c with zlib"), "\(runLoaded.output)")
        // The digest stevedore printed is the one skopeo computes from the manifest it reads.
        let manifestInspect = try ProcessRunner.run(["skopeo", "inspect", "oci:\(layout):v1"])
        #expect(manifestInspect.status == 0, "\(manifestInspect.output)")
        #expect(json(manifestInspect.stdout)["Digest"] as? String == manifestDigest)
    }

    @Test("Swift executables, with and without the static standard library, run from scratch", .timeLimit(.minutes(15)),
          arguments: ["static", "dynamic"])
    func swiftProgramFromScratch(kind: String) throws {
        let executable = try (kind == "static" ? Fixtures.swiftStatic : Fixtures.swiftDynamic).get()
        let work = try TemporaryDirectory("swift-image")
        let layout = work.appending("layout")
        let result = try StevedoreBinary.run([
            "build", "--executable", executable, "--output", "oci-layout:\(layout):latest",
            "--env", "GREETING_NAME=stevedore", "--label", "kind=\(kind)",
        ])
        #expect(result.status == 0, "\(result.output)")
        let unpack = try ProcessRunner.run(["umoci", "unpack", "--image", "\(layout):latest", work.appending("bundle")])
        #expect(unpack.status == 0, "\(unpack.output)")
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=latest", layout])
        #expect(validate.status == 0, "\(validate.output)")
        let inspect = try ProcessRunner.run(["skopeo", "inspect", "oci:\(layout):latest"])
        #expect(inspect.stdout.contains("\"kind\": \"\(kind)\""), "\(inspect.output)")
        let run = try Podman().run("oci:\(layout):latest")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.stdout.contains("hello from swift, stevedore, running as uid 65532"), "\(run.output)")
    }

    @Test("inspect shows the configuration and verify accepts the image")
    func inspectAndVerify() throws {
        let executable = try Fixtures.cProgram.get()
        let work = try TemporaryDirectory("inspect")
        let layout = work.appending("layout")
        let build = try StevedoreBinary.run(["build", "--executable", executable, "--output", "oci-layout:\(layout):t", "--env", "A=1", "--label", "team=x"])
        #expect(build.status == 0, "\(build.output)")
        let inspect = try StevedoreBinary.run(["inspect", "oci-layout:\(layout):t"])
        #expect(inspect.status == 0, "\(inspect.output)")
        #expect(inspect.stdout.contains("Entrypoint    [\"/usr/local/bin/hello-c\"]"))
        #expect(inspect.stdout.contains("  A=1"))
        #expect(inspect.stdout.contains("  team=x"))
        #expect(inspect.stdout.contains("Layers (2,"))
        let inspectJSON = try StevedoreBinary.run(["inspect", "--json", "oci-layout:\(layout):t"])
        #expect((json(inspectJSON.stdout)["digest"] as? String) == digest(of: build))
        let verify = try StevedoreBinary.run(["verify", "oci-layout:\(layout):t"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.stdout.contains("OK (1 manifest, 2 layers)"))
    }
}
