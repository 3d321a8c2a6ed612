import Foundation
import StevedoreTestSupport
import Testing

/// `HTTPS_PROXY`, `NO_PROXY` and proxy credentials, through Debian's tinyproxy to the TLS+token registry.
@Suite(.serialized, .dedicatedThread)
struct PushThroughProxyTests {
    /// The registry and a layout to push; the token service is plain HTTP, so `HTTPS_PROXY` covers the registry.
    private static func registry() throws -> (env: RegistryTestEnvironment, source: String) {
        let env = try RegistryTestEnvironment(.tokenTLS)
        let source = env.directory.appending("source")
        try TestLayouts.make(at: source, tag: "v1", layers: [.init(files: ["hello.txt": "through the proxy\n"])])
        return (env, source)
    }

    private static func push(_ env: RegistryTestEnvironment, _ source: String, tag: String, proxyEnvironment: [String: String?]) throws -> ProcessResult {
        try env.stevedore(
            ["push", "oci-layout:\(source):v1", "\(env.address)/team/app:\(tag)", "--verbose"] + env.trustArguments + env.credentialArguments(),
            stdin: env.password, environment: proxyEnvironment
        )
    }

    @Test("HTTPS_PROXY: the push goes through CONNECT; NO_PROXY naming the registry bypasses the proxy")
    func pushThroughProxyAndBypass() throws {
        let (env, source) = try Self.registry()
        defer { env.stop() }
        let proxy = try TinyproxyServer(directory: env.directory.appending("proxy"), connectPorts: [env.registry.port])
        defer { proxy.stop() }

        let through = try Self.push(env, source, tag: "proxied", proxyEnvironment: ["HTTPS_PROXY": proxy.url()])
        #expect(through.status == 0, "\(through.output)\n\(proxy.log)")
        #expect(proxy.connectRequests.contains("127.0.0.1:\(env.registry.port)"), "\(proxy.log)")
        #expect(through.stderr.contains("through proxy http://127.0.0.1:\(proxy.port)"), "\(through.stderr)")
        #expect(try env.skopeoDigest("\(env.address)/team/app:proxied") != nil)

        let seen = proxy.requests.count
        for noProxy in ["127.0.0.1", "127.0.0.0/8", "127.0.0.1:\(env.registry.port)", "*"] {
            let direct = try Self.push(env, source, tag: "direct", proxyEnvironment: ["HTTPS_PROXY": proxy.url(), "NO_PROXY": noProxy])
            #expect(direct.status == 0, "NO_PROXY=\(noProxy): \(direct.output)")
        }
        #expect(proxy.requests.count == seen, "the proxy saw requests despite NO_PROXY:\n\(proxy.log)")
    }

    @Test("proxy credentials: percent-decoded, sent, never printed; a wrong or missing password is a clear error")
    func proxyCredentials() throws {
        let (env, source) = try Self.registry()
        defer { env.stop() }
        let password = "Pr0xy-\(UUID().uuidString.prefix(8))"
        let proxy = try TinyproxyServer(directory: env.directory.appending("proxy"), connectPorts: [env.registry.port], credentials: ("builder", password))
        defer { proxy.stop() }
        // `%2D` is `-`: the password in the URL is percent-decoded before it is sent.
        let encoded = password.replacingOccurrences(of: "-", with: "%2D")

        let accepted = try Self.push(env, source, tag: "v1", proxyEnvironment: ["https_proxy": proxy.url(user: "builder", password: encoded)])
        #expect(accepted.status == 0, "\(accepted.output)\n\(proxy.log)")
        #expect(proxy.connectRequests.contains("127.0.0.1:\(env.registry.port)"), "\(proxy.log)")
        #expect(accepted.stderr.contains("through proxy http://***@127.0.0.1:\(proxy.port)"), "\(accepted.stderr)")
        for secret in [password, encoded] { #expect(!accepted.output.contains(secret)) }

        // tinyproxy answers a CONNECT with a wrong password 401 (not 407), which async-http-client reports as
        // an unexpected answer: the error still says to check the credentials, and is not retried.
        let wrongPassword = "Wr0ng-\(UUID().uuidString.prefix(8))"
        let refused = try Self.push(env, source, tag: "v2", proxyEnvironment: ["HTTPS_PROXY": proxy.url(user: "builder", password: wrongPassword)])
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.stderr.contains("the proxy http://***@127.0.0.1:\(proxy.port) (from HTTPS_PROXY) refused to CONNECT to 127.0.0.1:\(env.registry.port)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("check the user name and password in HTTPS_PROXY"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("retrying"), "\(refused.stderr)")
        #expect(!refused.output.contains(wrongPassword))

        // Without credentials tinyproxy answers 407.
        let missing = try Self.push(env, source, tag: "v3", proxyEnvironment: ["HTTPS_PROXY": proxy.url()])
        #expect(missing.status == 77, "\(missing.output)")
        #expect(missing.stderr.contains("the proxy http://127.0.0.1:\(proxy.port) needs credentials: it answered 407 Proxy Authentication Required"), "\(missing.stderr)")
    }

    @Test("a malformed proxy URL is a usage error that does not show its password")
    func malformedProxy() throws {
        let (env, source) = try Self.registry()
        defer { env.stop() }
        let result = try Self.push(env, source, tag: "v1", proxyEnvironment: ["HTTPS_PROXY": "socks5://user:Hidden-Secret@127.0.0.1:1080"])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("HTTPS_PROXY=socks5://***@127.0.0.1:1080 is not a usable proxy"), "\(result.stderr)")
        #expect(!result.output.contains("Hidden-Secret"))
    }
}
