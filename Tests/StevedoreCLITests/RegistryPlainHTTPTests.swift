import Foundation
import StevedoreTestSupport
import Testing

/// README, "TLS": plain HTTP only for `--insecure-registry HOST[:PORT]`, and localhost/127.0.0.1 by default.
/// 127.0.0.2 is loopback, so nothing leaves the machine, but it is not one of the names stevedore treats as
/// local: a plain-HTTP registry there stands for one on another host.
@Suite(.serialized, .dedicatedThread)
struct RegistryPlainHTTPTests {
    @Test("plain HTTP is refused for a registry that is not local, and allowed with --insecure-registry")
    func plainHTTPNeedsInsecureRegistry() throws {
        let env = try RegistryTestEnvironment(.plain)
        defer { env.stop() }
        let proxy = try RegistryFaultProxy(directory: env.directory.appending("proxy"), upstream: env.address, rules: [], host: "127.0.0.2")
        defer { proxy.stop() }
        let source = env.directory.appending("source")
        let image = try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["a.txt": "a\n"])])
        let target = "\(proxy.address)/team/app:v1"

        let refused = try env.stevedore(["push", "oci-layout:\(source):v1", target, "--retries", "1"])
        #expect(refused.status == 1, "\(refused.output)")
        let error = refused.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(error.hasPrefix("error: TLS with \(proxy.address) failed: it does not answer in TLS (a plain-HTTP registry is used only with --insecure-registry \(proxy.address))"), "\(refused.stderr)")
        // Not one request went over plain HTTP: the proxy logs every request it understood.
        #expect(!proxy.log.contains(" -> "), "\(proxy.log)")
        #expect(try env.skopeoDigest("\(env.address)/team/app:v1") == nil)

        let allowed = try env.stevedore(["push", "oci-layout:\(source):v1", target, "--insecure-registry", proxy.address])
        #expect(allowed.status == 0, "\(allowed.output)")
        #expect(proxy.log.contains("PUT /v2/team/app/manifests/v1 -> 201"), "\(proxy.log)")
        #expect(try env.skopeoDigest("\(env.address)/team/app:v1") == image.manifestDescriptor.digest.description)

        // The host alone allows every port of it; a pull is refused and allowed the same way.
        let pulled = env.directory.appending("pulled")
        let pullRefused = try env.stevedore(["pull", "--retries", "1", target, "oci-layout:\(pulled):v1"])
        #expect(pullRefused.status == 1, "\(pullRefused.output)")
        let pull = try env.stevedore(["pull", target, "oci-layout:\(pulled):v1", "--insecure-registry", "127.0.0.2"])
        #expect(pull.status == 0, "\(pull.output)")
    }
}
