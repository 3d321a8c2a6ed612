import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing

/// README, "Pull": every blob is verified (digest and size) while it streams, and nothing is stored on a
/// mismatch. The fault proxy spoils the body of one layer on its way from a real docker-registry.
@Suite(.serialized, .dedicatedThread)
struct RegistryPullVerificationTests {
    @Test("pull verifies each blob's digest and size while it streams and stores nothing on a mismatch",
          arguments: [RegistryFaultProxy.Rule.BodyFault.corrupt, .truncate])
    func pullStoresNothingOnAMismatch(fault: RegistryFaultProxy.Rule.BodyFault) throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(randomFiles: ["data.bin": 300_000])])
        let layer = image.manifest.layers[0]
        let push = try env.stevedore(["push", "oci-layout:\(source):v1", "\(env.address)/team/app:v1"])
        try #require(push.status == 0, "\(push.output)")
        // Every answer for the layer is spoilt, so no retry can rescue the pull.
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [
            .body(fault, pathContains: "/blobs/\(layer.digest)", times: -1),
        ])
        defer { proxy.stop() }

        let pulled = env.directory.appending("pulled")
        let pull = try env.stevedore(["pull", "--retries", "2", "\(proxy.address)/team/app:v1", "oci-layout:\(pulled):v1"])
        #expect(pull.status == 1, "\(pull.output)")
        #expect(proxy.log.contains("-> FAULT \(fault.rawValue)"), "\(proxy.log)")
        switch fault {
        case .corrupt:
            #expect(pull.stderr.contains("sent sha256:") && pull.stderr.contains("when asked for \(layer.digest)"), "\(pull.stderr)")
        case .truncate:
            #expect(pull.stderr.contains("\(layer.digest) from \(proxy.address)/team/app is \(layer.size / 2) bytes, its descriptor says \(layer.size)"), "\(pull.stderr)")
        }

        // Nothing of the spoilt blob, no temporary file, and no tag: neither in the layout nor in the cache.
        for root in [pulled, env.directory.appending("cache")] {
            let blobs = "\(root)/blobs/sha256"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
            #expect(!names.contains(layer.digest.encoded), "\(root) holds the spoilt layer")
            #expect(!names.contains { $0.hasPrefix(".tmp") }, "\(root) holds a temporary file: \(names)")
        }
        let index = (try? String(contentsOfFile: "\(pulled)/index.json", encoding: .utf8)) ?? ""
        #expect(!index.contains(image.manifestDescriptor.digest.encoded), "index.json names the image: \(index)")
    }
}
