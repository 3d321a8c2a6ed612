import Foundation
import StevedoreBuild
import StevedoreCore
import StevedoreJobs
import StevedoreLayout
import StevedoreRegistry
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct ImageBuildTests {
    /// An image of one file, built in-process into a layout and a docker-archive.
    @Test func oneBuildWritesEveryOutputWithOneDigest() async throws {
        let work = try TemporaryDirectory("jobs-build")
        let file = try work.write("hello.txt", "hello\n")
        var request = BuildRequest(executable: nil)
        request.additions = [Addition(source: file, destination: "/hello.txt")]
        request.platform = Platform(os: "linux", architecture: "amd64")
        request.outputs = [.layout(path: work.appending("layout"), tag: "v1"), .dockerArchive(path: work.appending("image.tar"), reference: nil)]
        request.tags = [try ImageTag("stable")]
        let built = try await ImageBuild(registry: RegistryConfiguration(environment: ["STEVEDORE_CACHE_DIR": work.appending("cache")])).run(request)
        #expect(built.results.map(\.digest) == [built.digest, built.digest])
        #expect(built.results[0].pinnedReference == "oci-layout:\(work.appending("layout")):v1@\(built.digest)")
        let layout = try OCILayout(path: work.appending("layout"), create: false)
        #expect(try layout.resolve(tag: "stable").digest == built.digest)
        #expect(FileManager.default.fileExists(atPath: work.appending("image.tar")))
    }

    /// The phases `--verbose` prints: planning, layers (written, then reused from the cache), write.
    @Test func aBuildTimesEachPhaseAndCountsReusedLayers() async throws {
        let work = try TemporaryDirectory("jobs-timings")
        let file = try work.write("hello.txt", "hello\n")
        var request = BuildRequest(executable: nil)
        request.additions = [Addition(source: file, destination: "/hello.txt")]
        request.platform = Platform(os: "linux", architecture: "amd64")
        request.outputs = [.layout(path: work.appending("layout"), tag: "v1")]
        let build = ImageBuild(registry: RegistryConfiguration(environment: ["STEVEDORE_CACHE_DIR": work.appending("cache")]))
        let first = try await build.run(request)
        #expect(first.timings.map(\.phase) == [.layerPlanning, .layers, .write])
        #expect(first.timings[1].detail == "1 written, 0 reused")
        #expect(first.timings[2].description.hasPrefix("timing: write "))
        #expect(first.timings[2].description.hasSuffix(" s (oci-layout:\(work.appending("layout")):v1)"))
        let second = try await build.run(request)
        #expect(second.timings[1].detail == "0 written, 1 reused")
        #expect(PhaseTiming.line("tool check", seconds: nil) == "timing: tool check unknown")
        #expect(PhaseTiming(.push, duration: .milliseconds(1_500)).description == "timing: push 1.50 s")
    }

    /// `ImageTransfer` copies what a layout tag names into another layout, byte for byte.
    @Test func aTransferBetweenLayoutsKeepsTheDigest() async throws {
        let work = try TemporaryDirectory("jobs-transfer")
        let file = try work.write("a.txt", "a\n")
        var request = BuildRequest(executable: nil)
        request.additions = [Addition(source: file, destination: "/a.txt")]
        request.platform = Platform(os: "linux", architecture: "arm64")
        request.outputs = [.layout(path: work.appending("one"), tag: "x")]
        let built = try await ImageBuild(registry: RegistryConfiguration()).run(request)
        let source = try OCILayout(path: work.appending("one"), create: false).image(tag: "x")
        let copied = try await ImageTransfer.copy(from: source, to: try OCILayout(path: work.appending("two")).destination(tags: [try ImageTag("y")]))
        #expect(copied.digest == built.digest)
        let image = try await OCILayout(path: work.appending("two"), create: false).image(tag: "y").loadImage(platform: nil)
        #expect(image.manifestData == built.content.images[0].manifestData)
        #expect(image.configurationData == built.content.images[0].configurationData)
    }
}
