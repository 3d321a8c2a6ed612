import Foundation
import StevedoreTestSupport
import Testing

/// The configuration flags of `stevedore build` on their success paths, checked in the image configuration as
/// `skopeo inspect --config` reads it; and the exit code of a usage error.
@Suite(.serialized, .dedicatedThread)
struct BuildCommandConfigurationTests {
    /// Builds `Fixtures.cProgram` into a new layout in `work`, tagged `v1`, with `arguments`.
    func build(_ arguments: [String], in work: TemporaryDirectory) throws -> (layout: String, result: ProcessResult) {
        let layout = work.appending("layout-\(UUID().uuidString.prefix(8))")
        let result = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(layout):v1"] + arguments)
        return (layout, result)
    }

    /// The `config` object of the image configuration skopeo reads from `oci:LAYOUT:TAG`.
    func containerConfiguration(_ layout: String, tag: String = "v1") throws -> [String: Any] {
        let inspect = try ProcessRunner.run(["skopeo", "inspect", "--config", "oci:\(layout):\(tag)"])
        try TestLayouts.check(inspect)
        return json(inspect.stdout)["config"] as? [String: Any] ?? [:]
    }

    @Test("--user, --workdir, --volume, --stop-signal and --entrypoint set the configuration fields of the same name")
    func configurationFlagsReachTheImage() throws {
        let work = try TemporaryDirectory("build-config")
        let (layout, result) = try build([
            "--user", "1000:2000", "--workdir", "/srv/app", "--volume", "/data", "--volume", "/cache",
            "--stop-signal", "SIGINT", "--entrypoint", #"["/usr/local/bin/hello-c","serve"]"#,
        ], in: work)
        try #require(result.status == 0, "\(result.output)")
        let config = try containerConfiguration(layout)
        #expect(config["User"] as? String == "1000:2000")
        #expect(config["WorkingDir"] as? String == "/srv/app")
        #expect(Set((config["Volumes"] as? [String: Any] ?? [:]).keys) == ["/data", "/cache"])
        #expect(config["StopSignal"] as? String == "SIGINT")
        #expect(config["Entrypoint"] as? [String] == ["/usr/local/bin/hello-c", "serve"])
    }

    @Test("--entrypoint given once per argument is the same entrypoint as the JSON array")
    func entrypointOneArgumentPerUse() throws {
        let work = try TemporaryDirectory("build-config")
        let (layout, result) = try build(["--entrypoint", "/usr/local/bin/hello-c", "--entrypoint", "serve", "--entrypoint", "8080"], in: work)
        try #require(result.status == 0, "\(result.output)")
        #expect(try containerConfiguration(layout)["Entrypoint"] as? [String] == ["/usr/local/bin/hello-c", "serve", "8080"])
    }

    @Test("--no-self-contained from scratch: only the executable's layer, no default user and no PATH")
    func noSelfContainedAddsOnlyTheExecutable() throws {
        let work = try TemporaryDirectory("build-config")
        let (layout, result) = try build(["--no-self-contained"], in: work)
        try #require(result.status == 0, "\(result.output)")
        let layers = try ImageLayers(layout: layout, tag: "v1")
        try #require(layers.digests.count == 1, "\(layers.digests)")
        #expect(try layers.entries(0).keys.sorted() == ["usr", "usr/local", "usr/local/bin", "usr/local/bin/hello-c"])
        let config = try containerConfiguration(layout)
        #expect(config["User"] == nil)
        #expect(!((config["Env"] as? [String]) ?? []).contains { $0.hasPrefix("PATH=") })
        #expect(config["Entrypoint"] as? [String] == ["/usr/local/bin/hello-c"])

        // The default, for comparison: the libraries and system files come first, and the image runs as nonroot.
        let (defaultLayout, defaultResult) = try build([], in: work)
        try #require(defaultResult.status == 0, "\(defaultResult.output)")
        #expect(try ImageLayers(layout: defaultLayout, tag: "v1").digests.count == 2)
        #expect(try containerConfiguration(defaultLayout)["User"] as? String == "65532:65532")
    }

    @Test("--tag adds tags to the layout for the same manifest, and --digest-file holds the printed LOCATION@digest")
    func tagsAndDigestFile() throws {
        let work = try TemporaryDirectory("build-tags")
        let digestFile = work.appending("digest.txt")
        let (layout, result) = try build(["--tag", "extra", "--tag", "1.2.3", "--digest-file", digestFile], in: work)
        try #require(result.status == 0, "\(result.output)")
        let printed = try #require(digest(of: result))
        let lastLine = result.stdout.split(separator: "\n").last.map(String.init)
        #expect(lastLine == "oci-layout:\(layout):v1@\(printed)")
        #expect(try String(contentsOfFile: digestFile, encoding: .utf8) == "oci-layout:\(layout):v1@\(printed)\n")
        for tag in ["v1", "extra", "1.2.3"] {
            let inspect = try ProcessRunner.run(["skopeo", "inspect", "oci:\(layout):\(tag)"])
            #expect(inspect.status == 0, "\(tag): \(inspect.output)")
            #expect(json(inspect.stdout)["Digest"] as? String == printed, "\(tag)")
        }
    }

    @Test("a usage error exits 64 and says what to change", arguments: [
        ([String](), "give at least one --output"),
        (["--output", "oci-layout:/tmp/stevedore-never-written:t", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        (["--output", "ghcr.io/owner/app:1"], "push with --push ghcr.io/owner/app:1"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get()] + arguments)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("Usage: stevedore build"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/stevedore-never-written"))
    }
}
