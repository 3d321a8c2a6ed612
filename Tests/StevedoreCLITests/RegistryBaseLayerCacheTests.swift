import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreTestSupport
import Testing

/// README, "Base images": downloaded base layers are cached in `$STEVEDORE_CACHE_DIR` for later builds.
/// The base is read through the fault proxy (without faults), whose log counts the downloads.
@Suite(.serialized, .dedicatedThread)
struct RegistryBaseLayerCacheTests {
    @Test("the base-layer cache in $STEVEDORE_CACHE_DIR is used by the second build: no layer is downloaded twice")
    func secondBuildDownloadsNoBaseLayer() async throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let baseReference = "\(env.address)/library/busybox:1"
        _ = try PushCommandTests.pushBusyboxBase(env, to: baseReference)
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [])
        defer { proxy.stop() }
        let file = try env.directory.write("hello.txt", "built on a cached base\n")
        let cache = env.directory.appending("cache")
        func build(into output: String) throws -> ProcessResult {
            try env.stevedore(
                ["build", "--from", "\(proxy.address)/library/busybox:1", "--add", "\(file):/hello.txt", "--output", "oci-layout:\(output):app"],
                environment: ["STEVEDORE_CACHE_DIR": cache]
            )
        }

        let first = try build(into: env.directory.appending("first"))
        #expect(first.status == 0, "\(first.output)")
        // Our image: the base's layers, then ours.
        let built = try await OCILayout(path: env.directory.appending("first"), create: false).image(tag: "app").loadImage(platform: nil)
        let baseLayers = built.manifest.layers.dropLast().map(\.digest)
        try #require(!baseLayers.isEmpty)
        func requests(for layer: Digest) -> Int {
            proxy.log.split(separator: "\n").filter { $0.hasPrefix("GET /v2/library/busybox/blobs/\(layer) ") }.count
        }
        for layer in baseLayers {
            #expect(requests(for: layer) == 1, "the first build did not download \(layer) once:\n\(proxy.log)")
            #expect(FileManager.default.fileExists(atPath: "\(cache)/blobs/sha256/\(layer.encoded)"), "\(layer) is not in the cache")
        }

        // A second build into another layout: the base layers come from the cache.
        let second = try build(into: env.directory.appending("second"))
        #expect(second.status == 0, "\(second.output)")
        for layer in baseLayers {
            #expect(requests(for: layer) == 1, "the second build downloaded \(layer) again:\n\(proxy.log)")
        }
        #expect(digest(of: second) == digest(of: first), "\(first.stdout)\n\(second.stdout)")
    }
}
