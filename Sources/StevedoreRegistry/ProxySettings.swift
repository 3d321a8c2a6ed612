import Foundation
import StevedoreCore

/// The proxies the environment asks for, as container tools and curl read them: which proxy, if any, a
/// request to a URL goes through.
///
/// - `https_proxy`/`HTTPS_PROXY` for `https://` URLs (registries over TLS, token services), reached with
///   `CONNECT` so TLS runs end to end between Stevedore and the registry.
/// - `http_proxy`/`HTTP_PROXY` for `http://` URLs (plain-HTTP registries); async-http-client reaches
///   those through the proxy with `CONNECT` as well, so the proxy must allow `CONNECT` to their port.
/// - `no_proxy`/`NO_PROXY`: the hosts reached directly, see ``ProxyExclusion``.
///
/// When both spellings are set, the lowercase one wins (curl's rule). An empty value counts as unset.
/// Nothing is exempt implicitly: `localhost` and `127.0.0.1` go through the proxy unless `NO_PROXY`
/// names them (many HTTP clients skip the proxy for them; only `NO_PROXY` decides here).
public struct ProxySettings: Sendable, Hashable {
    /// The proxy for `https://` URLs, or `nil` for none.
    public var httpsProxy: ProxyServer?
    /// The proxy for `http://` URLs, or `nil` for none.
    public var httpProxy: ProxyServer?
    /// The hosts reached without a proxy.
    public var exclusions: [ProxyExclusion]

    /// No proxy at all.
    public static let direct = ProxySettings(httpsProxy: nil, httpProxy: nil, exclusions: [])

    /// Creates settings from parsed values.
    public init(httpsProxy: ProxyServer?, httpProxy: ProxyServer?, exclusions: [ProxyExclusion]) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.exclusions = exclusions
    }

    /// Reads `https_proxy`, `HTTPS_PROXY`, `http_proxy`, `HTTP_PROXY`, `no_proxy` and `NO_PROXY`.
    ///
    /// - Throws: ``StevedoreError`` `invalidProxy` when a proxy URL or a `NO_PROXY` entry that would be used
    ///   is malformed; the message names the variable and never shows a password.
    public init(environment: [String: String]) throws {
        func variable(_ name: String) -> (name: String, value: String)? {
            for spelling in [name.lowercased(), name] {
                if let value = environment[spelling]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return (spelling, value) }
            }
            return nil
        }
        httpsProxy = try variable("HTTPS_PROXY").map { try ProxyServer(parsing: $0.value, variable: $0.name) }
        httpProxy = try variable("HTTP_PROXY").map { try ProxyServer(parsing: $0.value, variable: $0.name) }
        exclusions = try variable("NO_PROXY").map { noProxy in
            try ProxyExclusion.entries(noProxy.value).map { try ProxyExclusion(parsing: $0, variable: noProxy.name) }
        } ?? []
    }

    /// The proxy a request to `url` goes through, or `nil` when it goes directly: by the URL's scheme, unless
    /// ``exclusions`` match its host and port (80 or 443 when the URL gives none).
    public func proxy(for url: String) -> ProxyServer? {
        guard let target = Self.target(of: url) else { return nil }
        guard let proxy = target.secure ? httpsProxy : httpProxy else { return nil }
        if exclusions.contains(where: { $0.matches(host: target.host, port: target.port) }) { return nil }
        return proxy
    }

    /// The scheme, host (lowercased, without brackets) and port of an `http://` or `https://` URL.
    static func target(of url: String) -> (secure: Bool, host: String, port: Int)? {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let secure = scheme == "https"
        var authority = url[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority
        var port = secure ? 443 : 80
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":"), let explicit = Int(after.dropFirst()) { port = explicit }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            if let explicit = Int(authority[authority.index(after: colon)...]) { port = explicit }
        }
        return (secure, host.lowercased(), port)
    }
}
