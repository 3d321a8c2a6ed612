import AsyncHTTPClient
import Foundation
import StevedoreCore
import Testing
@testable import StevedoreRegistry

/// Which proxy a URL goes through: the variables, their precedence, every `NO_PROXY` form, proxy URLs.
struct ProxySettingsTests {
    static let proxy = "http://proxy.example:3128"

    @Test func theSchemePicksTheVariable() throws {
        let settings = try ProxySettings(environment: ["HTTPS_PROXY": "http://secure.example:3128", "HTTP_PROXY": "http://plain.example:8080"])
        #expect(settings.proxy(for: "https://registry.example/v2/")?.host == "secure.example")
        #expect(settings.proxy(for: "http://registry.example:5000/v2/")?.host == "plain.example")
        #expect(settings.proxy(for: "http://registry.example:5000/v2/")?.port == 8080)
        let onlySecure = try ProxySettings(environment: ["HTTPS_PROXY": Self.proxy])
        #expect(onlySecure.proxy(for: "http://registry.example/v2/") == nil)
        #expect(try ProxySettings(environment: [:]).proxy(for: "https://registry.example/") == nil)
        #expect(try ProxySettings(environment: ["HTTPS_PROXY": "", "https_proxy": "  "]).proxy(for: "https://registry.example/") == nil)
    }

    @Test func lowercaseWinsOverUppercase() throws {
        let settings = try ProxySettings(environment: [
            "https_proxy": "http://lower.example:1", "HTTPS_PROXY": "http://upper.example:2",
            "http_proxy": "http://lower.example:3", "HTTP_PROXY": "http://upper.example:4",
            "no_proxy": "lower-exempt.example", "NO_PROXY": "upper-exempt.example",
        ])
        #expect(settings.proxy(for: "https://registry.example/")?.host == "lower.example")
        #expect(settings.proxy(for: "https://registry.example/")?.variable == "https_proxy")
        #expect(settings.proxy(for: "http://registry.example/")?.port == 3)
        #expect(settings.proxy(for: "https://lower-exempt.example/") == nil)
        #expect(settings.proxy(for: "https://upper-exempt.example/") != nil)
        // An empty lowercase value counts as unset.
        let fallback = try ProxySettings(environment: ["https_proxy": "", "HTTPS_PROXY": "http://upper.example:2"])
        #expect(fallback.proxy(for: "https://registry.example/")?.host == "upper.example")
    }

    /// Nothing is exempt implicitly: only NO_PROXY decides, for localhost and loopback addresses too.
    @Test(arguments: ["https://localhost:5000/v2/", "https://127.0.0.1:5000/v2/", "https://[::1]:5000/v2/"])
    func loopbackIsProxiedUnlessExcluded(url: String) throws {
        #expect(try ProxySettings(environment: ["HTTPS_PROXY": Self.proxy]).proxy(for: url) != nil)
    }

    @Test(arguments: [
        // NO_PROXY, URL, whether the URL goes directly.
        ("*", "https://anything.example/", true),
        ("registry.example", "https://registry.example/v2/", true),
        ("registry.example", "https://a.b.registry.example/v2/", true),
        ("registry.example", "https://otherregistry.example/v2/", false),
        ("registry.example", "https://registry.example.org/v2/", false),
        ("Registry.Example", "https://REGISTRY.example:5000/v2/", true),
        ("registry.example.", "https://registry.example/v2/", true),
        ("registry.example", "https://registry.example./v2/", true),
        (".registry.example", "https://registry.example/v2/", false),
        (".registry.example", "https://a.registry.example/v2/", true),
        ("*.registry.example", "https://a.registry.example/v2/", true),
        ("*.registry.example", "https://registry.example/v2/", false),
        ("localhost", "https://localhost:5000/v2/", true),
        ("10.1.2.3", "https://10.1.2.3/v2/", true),
        ("10.1.2.3", "https://10.1.2.4/v2/", false),
        ("10.0.0.0/8", "https://10.200.3.4:5000/v2/", true),
        ("10.0.0.0/8", "https://11.0.0.1/v2/", false),
        ("192.168.1.0/24", "https://192.168.1.254/", true),
        ("192.168.1.0/24", "https://192.168.2.1/", false),
        ("172.16.0.0/12", "https://172.31.255.255/", true),
        ("172.16.0.0/12", "https://172.32.0.1/", false),
        ("0.0.0.0/0", "https://8.8.8.8/", true),
        ("10.0.0.0/8", "https://ten.example/", false),
        ("::1", "https://[::1]:5000/v2/", true),
        ("[::1]", "https://[::1]/v2/", true),
        ("::1", "https://[::2]/v2/", false),
        ("fd00::/8", "https://[fd12:3456::1]:5000/v2/", true),
        ("fd00::/8", "https://[fe80::1]/v2/", false),
        ("2001:db8::/32", "https://[2001:db8:0:0:0:0:0:1]/", true),
        ("2001:db8::/32", "https://[2001:db9::1]/", false),
        ("::ffff:10.0.0.0/104", "https://[::ffff:10.1.1.1]/", true),
        ("registry.example:5000", "https://registry.example:5000/v2/", true),
        ("registry.example:5000", "https://registry.example/v2/", false),
        ("registry.example:443", "https://registry.example/v2/", true),
        ("registry.example:80", "http://registry.example/v2/", true),
        ("10.1.2.3:5000", "https://10.1.2.3:5000/", true),
        ("10.1.2.3:5000", "https://10.1.2.3:5001/", false),
        ("[::1]:5000", "https://[::1]:5000/", true),
        ("[::1]:5000", "https://[::1]:5001/", false),
        ("a.example, registry.example", "https://registry.example/", true),
        ("a.example registry.example", "https://registry.example/", true),
        ("a.example,,\tregistry.example ,", "https://registry.example/", true),
        ("a.example,b.example", "https://registry.example/", false),
        ("", "https://registry.example/", false),
    ])
    func noProxyForms(noProxy: String, url: String, direct: Bool) throws {
        for spelling in ["NO_PROXY", "no_proxy"] {
            for proxyVariable in ["HTTPS_PROXY", "HTTP_PROXY"] {
                let settings = try ProxySettings(environment: [proxyVariable: Self.proxy, spelling: noProxy])
                guard (proxyVariable == "HTTPS_PROXY") == url.hasPrefix("https:") else { continue }
                #expect((settings.proxy(for: url) == nil) == direct, "\(spelling)=\(noProxy) for \(url)")
            }
        }
    }

    @Test(arguments: [
        // value, host, port, user, password
        ("http://proxy.example:3128", "proxy.example", 3128, nil, ""),
        ("http://proxy.example", "proxy.example", 80, nil, ""),
        ("http://proxy.example:3128/", "proxy.example", 3128, nil, ""),
        ("proxy.example:3128", "proxy.example", 3128, nil, ""),
        ("HTTP://Proxy.Example:3128", "proxy.example", 3128, nil, ""),
        ("http://10.0.0.1:8080", "10.0.0.1", 8080, nil, ""),
        ("http://[fd00::1]:8080", "fd00::1", 8080, nil, ""),
        ("http://user:pass@proxy.example:3128", "proxy.example", 3128, "user", "pass"),
        ("http://us%40er:p%40ss%3Aw%2Frd@proxy.example:3128", "proxy.example", 3128, "us@er", "p@ss:w/rd"),
        ("http://user:p@ss@proxy.example:3128", "proxy.example", 3128, "user", "p@ss"),
        ("http://user@proxy.example:3128", "proxy.example", 3128, "user", ""),
    ] as [(String, String, Int, String?, String)])
    func proxyURLs(value: String, host: String, port: Int, user: String?, password: String) throws {
        let proxy = try ProxyServer(parsing: value, variable: "HTTPS_PROXY")
        #expect(proxy.host == host)
        #expect(proxy.port == port)
        #expect(proxy.username == user)
        #expect(proxy.password == password)
        #expect(proxy.hasCredentials == (user != nil))
    }

    @Test(arguments: [
        ("https://user:Secret1@proxy.example:3128", "https://***@proxy.example:3128", "only http:// proxies"),
        ("socks5://user:Secret1@proxy.example:1080", "socks5://***@proxy.example:1080", "only http:// proxies"),
        ("http://user:Secret1@proxy.example:99999", "http://***@proxy.example:99999", "port"),
        ("http://user:Secret1@proxy.example:port", "http://***@proxy.example:port", "port"),
        ("http://user:Secret1@:3128", "http://***@:3128", "host"),
        ("http://user:Secret1@proxy example:3128", "http://***@proxy example:3128", "host"),
        ("http://user:Secret1%zz@proxy.example:3128", "http://***@proxy.example:3128", "percent-encoding"),
        ("http://[fd00::1:3128", "http://[fd00::1:3128", "host"),
        ("http://user:Secret1", "http://user:***", "port"),
    ])
    func malformedProxyURLs(value: String, shown: String, reason: String) {
        let error = #expect(throws: StevedoreError.self) { try ProxySettings(environment: ["HTTPS_PROXY": value]) }
        #expect(error?.code == .invalidProxy)
        #expect(error?.message.contains("HTTPS_PROXY=\(shown) is not a usable proxy") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Secret1") == false)
    }

    @Test(arguments: ["10.0.0.0/33", "fd00::/129", "10.0.0/8", "not-an-ip/8", "10.0.0.0/x", "registry.example:0", "registry.example:65536", "host:port"])
    func malformedNoProxyEntries(entry: String) {
        let error = #expect(throws: StevedoreError.self) { try ProxySettings(environment: ["no_proxy": "ok.example,\(entry)"]) }
        #expect(error?.code == .invalidProxy)
        #expect(error?.message.contains("no_proxy entry '\(entry)'") == true, "\(error?.message ?? "")")
    }

    @Test func descriptionsHideCredentials() throws {
        let proxy = try ProxyServer(parsing: "http://user:Secret1@proxy.example:3128", variable: "HTTPS_PROXY")
        #expect(proxy.description == "http://***@proxy.example:3128")
        #expect("\(proxy)" == "http://***@proxy.example:3128")
        #expect(String(reflecting: proxy) == "http://***@proxy.example:3128")
        var dumped = ""
        dump(proxy, to: &dumped)
        #expect(!dumped.contains("Secret1"))
        #expect(try ProxyServer(parsing: "http://[fd00::1]:3128", variable: "HTTPS_PROXY").description == "http://[fd00::1]:3128")
        #expect(try ProxyServer(parsing: "proxy.example", variable: "HTTPS_PROXY").description == "http://proxy.example:80")
        #expect(ProxyServer.redacted("user:pw@proxy.example:1") == "***@proxy.example:1")
        #expect(ProxyServer.redacted("http://proxy.example:1") == "http://proxy.example:1")
    }

    @Test func theTransportReadsItsConfigurationsEnvironment() throws {
        let configuration = RegistryConfiguration(environment: ["HTTPS_PROXY": "http://u:Secret1@proxy.example:3128", "NO_PROXY": "internal.example"])
        let transport = try RegistryTransport(configuration: configuration)
        #expect(transport.clients.proxies.proxy(for: "https://ghcr.io/v2/")?.description == "http://***@proxy.example:3128")
        #expect(transport.clients.proxies.proxy(for: "https://internal.example/v2/") == nil)
        #expect(throws: StevedoreError.self) { try RegistryClient(configuration: RegistryConfiguration(environment: ["https_proxy": "ftp://proxy.example"])) }
    }

    @Test func proxyFailuresNameTheProxyNotItsPassword() throws {
        let proxy = try ProxyServer(parsing: "http://u:Secret1@proxy.example:3128", variable: "https_proxy")
        let refused = RegistryTransport.proxyFailure(HTTPClientError.proxyAuthenticationRequired, proxy: proxy, url: "https://registry.example:5000/v2/")
        let error = try #require(refused as? StevedoreError)
        #expect(error.code == .proxyUnauthorized)
        #expect(error.message == "the proxy http://***@proxy.example:3128 refused the credentials in https_proxy: it answered 407 Proxy Authentication Required to CONNECT registry.example:5000; check the user name and password in https_proxy (percent-encode special characters)")
        let lost = RegistryTransport.proxyFailure(HTTPClientError.invalidProxyResponse, proxy: proxy, url: "https://registry.example/v2/")
        let failure = try #require(lost as? StevedoreError)
        #expect(failure.code == .connectionFailed)
        #expect(failure.message.contains("refused to CONNECT to registry.example:443"))
        #expect(failure.message.contains("check the user name and password in https_proxy"))
        #expect(!failure.message.contains("Secret1"))
    }
}
