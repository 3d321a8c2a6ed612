import Foundation
import StevedoreCore

/// An HTTP proxy that requests go through: `http://[USER[:PASSWORD]@]HOST[:PORT]`, as `HTTPS_PROXY` or
/// `HTTP_PROXY` name it.
///
/// Its description never shows the credentials: a proxy with them prints as `http://***@proxy:3128`, so it
/// may appear in messages and logs.
public struct ProxyServer: Sendable, Hashable {
    /// The proxy's host name or IP address (an IPv6 address without brackets).
    public var host: String
    /// The proxy's port: the one in the URL, else 80 (as Go's proxy support, and so docker, podman and
    /// skopeo, assume for `http://`).
    public var port: Int
    /// The user name sent in `Proxy-Authorization` (percent-decoded), or `nil` for none.
    var username: String?
    /// The password sent in `Proxy-Authorization` (percent-decoded); empty when the URL has none.
    var password: String
    /// The environment variable the proxy came from (`https_proxy`, `HTTP_PROXY`, …), for messages.
    public var variable: String

    /// Whether requests to the proxy carry credentials (`Proxy-Authorization: Basic …`).
    public var hasCredentials: Bool { username != nil }

    /// Parses a proxy URL: `http://` (or no scheme) with optional percent-encoded credentials and port.
    ///
    /// - Parameters:
    ///   - value: the URL, e.g. `http://user:pa%40ss@proxy.example:3128`.
    ///   - variable: the environment variable it came from, named in errors.
    /// - Throws: ``StevedoreError`` `invalidProxy` when the URL is not an `http://` proxy URL with a host and
    ///   a port from 1 to 65535; the message shows the URL without its credentials.
    public init(parsing value: String, variable: String) throws {
        self.variable = variable
        let text = value.trimmingCharacters(in: .whitespaces)
        let shown = Self.redacted(text)
        func invalid(_ reason: String) -> StevedoreError {
            StevedoreError(.invalidProxy, "\(variable)=\(shown) is not a usable proxy: \(reason); give http://[USER:PASSWORD@]HOST[:PORT], or unset \(variable)")
        }
        var rest = Substring(text)
        if let separator = text.range(of: "://") {
            let scheme = text[..<separator.lowerBound].lowercased()
            guard scheme == "http" else {
                throw invalid("only http:// proxies are supported, not \(scheme)://; registries over TLS are reached through an http:// proxy with CONNECT")
            }
            rest = text[separator.upperBound...]
        }
        // Credentials end at the last `@`, so an unencoded `@` or `/` in a password still parses.
        var authority = rest
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            authority = rest[rest.index(after: at)...]
            let colon = userInfo.firstIndex(of: ":")
            let encodedUser = userInfo[..<(colon ?? userInfo.endIndex)]
            let encodedPassword = colon.map { userInfo[userInfo.index(after: $0)...] } ?? ""
            guard let user = String(encodedUser).removingPercentEncoding, let password = String(encodedPassword).removingPercentEncoding else {
                throw invalid("its user name or password is not valid percent-encoding")
            }
            username = user
            self.password = password
        } else {
            username = nil
            password = ""
        }
        if let end = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            authority = authority[..<end]
        }
        guard let parsed = Self.hostAndPort(authority) else {
            throw invalid("it has no valid host and port")
        }
        host = parsed.host
        guard let port = parsed.port else {
            self.port = 80
            return
        }
        guard (1...65535).contains(port) else { throw invalid("its port is not from 1 to 65535") }
        self.port = port
    }

    /// `HOST`, `HOST:PORT`, `[IPv6]` or `[IPv6]:PORT`; `nil` when malformed. The port is `nil` when absent
    /// and `-1` when not a number.
    private static func hostAndPort(_ authority: Substring) -> (host: String, port: Int?)? {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            host = authority
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else { return nil }
        }
        guard !host.isEmpty else { return nil }
        guard let portText else { return (host.lowercased(), nil) }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII), let port = Int(portText) else { return (host.lowercased(), -1) }
        return (host.lowercased(), port)
    }

    /// A proxy URL as it may be shown: `scheme://***@rest` when it has credentials. Without an `@`, a port
    /// that is not a number is hidden too: `http://user:password` (the host forgotten) shows as `http://user:***`.
    static func redacted(_ value: String) -> String {
        let start = value.range(of: "://").map(\.upperBound) ?? value.startIndex
        guard let at = value.lastIndex(of: "@") else {
            guard let colon = value[start...].lastIndex(of: ":") else { return value }
            let port = value[value.index(after: colon)...]
            return port.allSatisfy({ $0.isASCII && $0.isNumber }) ? value : String(value[...colon]) + "***"
        }
        guard start <= at else { return "***@" + String(value[value.index(after: at)...]) }
        return String(value[..<start]) + "***" + String(value[at...])
    }
}

extension ProxyServer: CustomStringConvertible, CustomDebugStringConvertible {
    /// `http://host:port`, or `http://***@host:port` when the proxy has credentials.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "http://\(hasCredentials ? "***@" : "")\(shownHost):\(port)"
    }

    public var debugDescription: String { description }
}

extension ProxyServer: CustomReflectable {
    /// What `dump` and the debugger show: never the credentials.
    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "hasCredentials": hasCredentials, "variable": variable])
    }
}
