import Foundation
import StevedoreTestSupport
import Testing

/// Issue 10: a rebuild of unchanged inputs compresses nothing, gives the cold build's bytes, and a push of an
/// unchanged image uploads no blob.
@Suite(.dedicatedThread) struct BuildCacheCommandTests {
    /// The C program (libraries layer), a resource directory (`--add` layer) and the executable layer.
    static func buildArguments(_ work: TemporaryDirectory, output: String? = nil) throws -> [String] {
        let resources = work.appending("resources")
        if !FileManager.default.fileExists(atPath: resources) {
            _ = try work.write("resources/config.json", "{\"greeting\": \"hello\"}\n")
            _ = try work.write("resources/static/index.html", "<h1>hello</h1>\n")
        }
        let arguments = ["build", "--executable", try Fixtures.cProgram.get(), "--add", "\(resources):/srv", "--source-date-epoch", "1700000000"]
        return arguments + (output.map { ["--output", $0] } ?? [])
    }

    static func layerLines(_ result: ProcessResult) -> [String] {
        result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Layer ") }
    }

    @Test("cold and cached builds of every layer kind give identical blobs and manifest digests", .timeLimit(.minutes(10)))
    func cachedBuildEqualsColdBuild() throws {
        let work = try TemporaryDirectory("cache-cli")
        let cache = ["STEVEDORE_CACHE_DIR": work.appending("cache")] as [String: String?]
        let cold = try StevedoreBinary.run(try Self.buildArguments(work, output: "oci-layout:\(work.appending("cold")):v1") + ["--no-cache"], environment: cache)
        #expect(cold.status == 0, "\(cold.output)")
        #expect(!FileManager.default.fileExists(atPath: work.appending("cache/layers")), "--no-cache recorded layers")
        let first = try StevedoreBinary.run(try Self.buildArguments(work, output: "oci-layout:\(work.appending("first")):v1"), environment: cache)
        let second = try StevedoreBinary.run(try Self.buildArguments(work, output: "oci-layout:\(work.appending("second")):v1"), environment: cache)
        #expect(second.status == 0, "\(second.output)")
        #expect(digest(of: cold) != nil)
        #expect(digest(of: first) == digest(of: cold))
        #expect(digest(of: second) == digest(of: cold))
        let lines = Self.layerLines(second)
        #expect(lines.count == 3, "\(second.stderr)")
        #expect(lines.allSatisfy { $0.contains("unchanged") && $0.contains("reused from the cache") }, "\(lines)")
        #expect(Self.layerLines(first).allSatisfy { $0.contains("compressed to") }, "\(first.stderr)")
        for directory in ["cold", "second"] {
            let blobs = try FileManager.default.contentsOfDirectory(atPath: work.appending("\(directory)/blobs/sha256")).sorted()
            #expect(blobs == (try FileManager.default.contentsOfDirectory(atPath: work.appending("cold/blobs/sha256")).sorted()))
        }
        let verify = try StevedoreBinary.run(["verify", "oci-layout:\(work.appending("second")):v1"])
        #expect(verify.status == 0, "\(verify.output)")
        let quiet = try StevedoreBinary.run(try Self.buildArguments(work, output: "oci-layout:\(work.appending("second")):v1") + ["--quiet"], environment: cache)
        #expect(quiet.status == 0 && Self.layerLines(quiet).isEmpty, "\(quiet.stderr)")

        // One byte of a resource changes: only the resources layer is compressed again.
        _ = try work.write("resources/config.json", "{\"greeting\": \"hellO\"}\n")
        let third = try StevedoreBinary.run(try Self.buildArguments(work, output: "oci-layout:\(work.appending("second")):v1"), environment: cache)
        let changed = Self.layerLines(third)
        #expect(changed.count == 3 && changed[0].contains("unchanged") && changed[1].contains("compressed to") && changed[2].contains("unchanged"), "\(third.stderr)")
        let coldAgain = try StevedoreBinary.run(try Self.buildArguments(work, output: "oci-layout:\(work.appending("cold2")):v1") + ["--no-cache"], environment: cache)
        #expect(digest(of: third) == digest(of: coldAgain))
        #expect(digest(of: third) != digest(of: cold))
    }

    @Test("a push of an unchanged image performs no compression and no blob upload", .timeLimit(.minutes(10)))
    func unchangedPushUploadsNothing() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [])
        defer { proxy.stop() }
        let work = try TemporaryDirectory("cache-push")
        let arguments = try Self.buildArguments(work) + ["--push", "\(proxy.address)/team/app:v1"]

        let first = try env.stevedore(arguments)
        #expect(first.status == 0, "\(first.output)")
        let uploadsBefore = Self.blobUploads(proxy.log)
        #expect(uploadsBefore > 0, "\(proxy.log)")

        let second = try env.stevedore(arguments)
        #expect(second.status == 0, "\(second.output)")
        #expect(digest(of: second) == digest(of: first))
        #expect(Self.blobUploads(proxy.log) == uploadsBefore, "\(proxy.log)")
        let lines = Self.layerLines(second)
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("unchanged") }, "\(second.stderr)")
    }

    /// A cached blob whose bytes changed under its key is found out, compressed again and the right bytes pushed.
    @Test("a cache that lies is detected and rebuilt, never pushed", .timeLimit(.minutes(10)))
    func lyingCacheIsRebuilt() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let work = try TemporaryDirectory("cache-lie")
        let base = try Self.buildArguments(work)
        let first = try env.stevedore(base + ["--push", "\(env.address)/team/one:v1"])
        #expect(first.status == 0, "\(first.output)")
        // Damage every cached blob in place, keeping sizes.
        let blobs = env.directory.appending("cache/blobs/sha256")
        for name in try FileManager.default.contentsOfDirectory(atPath: blobs) where !name.hasPrefix(".") {
            let handle = try #require(FileHandle(forUpdatingAtPath: "\(blobs)/\(name)"))
            try handle.seek(toOffset: 40)
            try handle.write(contentsOf: Data("damaged".utf8))
            try handle.close()
        }
        let second = try env.stevedore(base + ["--push", "\(env.address)/team/two:v1"])
        #expect(second.status == 0, "\(second.output)")
        #expect(digest(of: second) == digest(of: first))
        let lines = Self.layerLines(second)
        #expect(lines.count == 3 && lines.allSatisfy { $0.contains("compressed to") }, "\(second.stderr)")
        // skopeo checks every blob's digest while copying.
        let copy = try env.skopeo(["copy"] + env.skopeoArguments(side: "src") + ["docker://\(env.address)/team/two:v1", "oci:\(work.appending("copied")):v1"])
        #expect(copy.status == 0, "\(copy.output)")
    }

    /// `POST …/blobs/uploads/` starts an upload (a mount is a POST with `mount=`).
    static func blobUploads(_ log: String) -> Int {
        log.split(separator: "\n").filter { $0.hasPrefix("POST") && $0.contains("/blobs/uploads/") }.count
    }
}
