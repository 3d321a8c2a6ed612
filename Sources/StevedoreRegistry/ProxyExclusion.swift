import Foundation
import StevedoreCore

/// One entry of `NO_PROXY`: the hosts that are reached directly, without the proxy.
///
/// The forms are those of Go's proxy support (so of docker, podman, skopeo and buildkit), matched on the
/// host as written in the URL, never on what it resolves to:
/// - `*`: every host.
/// - `registry.example`: that host and every host under it (`a.registry.example`).
/// - `.registry.example` or `*.registry.example`: only the hosts under it.
/// - `10.1.2.3`, `::1`, `[::1]`: that IP address.
/// - `10.0.0.0/8`, `fd00::/8`: the IP addresses in that network.
/// - any of the host or address forms with `:PORT` (`registry.example:5000`, `[::1]:5000`): only that port.
public struct ProxyExclusion: Sendable, Hashable {
    enum Pattern: Sendable, Hashable {
        case everything
        /// A domain, lowercased, without a leading dot; `includesItself` is false for the `.domain` form.
        case domain(String, includesItself: Bool)
        case address([UInt8])
        case network([UInt8], prefixLength: Int)
    }

    let pattern: Pattern
    /// The only port that matches, or `nil` for any.
    let port: Int?

    /// Parses one `NO_PROXY` entry (without the separators).
    ///
    /// - Throws: ``StevedoreError`` `invalidProxy` for a network that is not `ADDRESS/LENGTH` with a valid
    ///   IP address and prefix length, or a port that is not from 1 to 65535.
    public init(parsing entry: String, variable: String = "NO_PROXY") throws {
        func invalid(_ reason: String) -> StevedoreError {
            StevedoreError(.invalidProxy, "\(variable) entry '\(entry)' is \(reason); give HOST, .DOMAIN, IP, IP/LENGTH or any of them with :PORT, or *")
        }
        let text = entry.lowercased()
        if text == "*" {
            pattern = .everything
            port = nil
            return
        }
        if let slash = text.firstIndex(of: "/") {
            let addressText = text[..<slash].trimmingBrackets
            let lengthText = text[text.index(after: slash)...]
            guard let address = Self.ipAddress(addressText) else { throw invalid("not a network: \(addressText) is not an IP address") }
            guard let length = Int(lengthText), lengthText.allSatisfy(\.isASCII), (0...(address.count * 8)).contains(length) else {
                throw invalid("not a network: the prefix length must be from 0 to \(address.count * 8)")
            }
            pattern = .network(address, prefixLength: length)
            port = nil
            return
        }
        var host = Substring(text)
        var portText: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw invalid("not a host") }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if let portText {
            guard let port = Int(portText), portText.allSatisfy(\.isASCII), (1...65535).contains(port) else { throw invalid("not HOST:PORT with a port from 1 to 65535") }
            self.port = port
        } else {
            port = nil
        }
        if let address = Self.ipAddress(host) {
            pattern = .address(address)
            return
        }
        if host.hasPrefix("*.") { host = host.dropFirst() }
        if host.hasSuffix(".") { host = host.dropLast() }
        let includesItself = !host.hasPrefix(".")
        host = host.drop { $0 == "." }
        guard !host.isEmpty else { throw invalid("not a host") }
        pattern = .domain(String(host), includesItself: includesItself)
    }

    /// Whether a request to `host` (lowercased, without brackets) on `port` goes without the proxy.
    func matches(host: String, port: Int) -> Bool {
        if let only = self.port, only != port { return false }
        switch pattern {
        case .everything:
            return true
        case .domain(let domain, let includesItself):
            let host = host.hasSuffix(".") ? String(host.dropLast()) : host
            return (includesItself && host == domain) || host.hasSuffix("." + domain)
        case .address(let address):
            return Self.ipAddress(Substring(host)) == address
        case .network(let network, let length):
            guard let address = Self.ipAddress(Substring(host)), address.count == network.count else { return false }
            return Self.prefix(address, length) == Self.prefix(network, length)
        }
    }

    /// Splits a `NO_PROXY` value at commas and white space, dropping empty entries.
    static func entries(_ value: String) -> [String] {
        value.split { $0 == "," || $0.isWhitespace }.map(String.init)
    }

    private static func prefix(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bits = min(max(length - index * 8, 0), 8)
            return bits == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address in text (an IPv6 zone, `%eth0`, is ignored), or `nil`.
    static func ipAddress(_ text: Substring) -> [UInt8]? {
        if text.contains(":") { return ipv6Address(text.prefix { $0 != "%" }) }
        return ipv4Address(text)
    }

    private static func ipv4Address(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func ipv6Address(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ half: String) -> [UInt8]? {
            guard !half.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                if index == parts.count - 1, part.contains(".") {
                    guard let v4 = ipv4Address(part) else { return nil }
                    bytes += v4
                } else {
                    guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit), let value = UInt16(part, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
                }
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}

extension ProxyExclusion: CustomStringConvertible {
    /// The entry in its `NO_PROXY` form.
    public var description: String {
        let base: String
        switch pattern {
        case .everything: return "*"
        case .domain(let domain, let includesItself): base = includesItself ? domain : "." + domain
        case .address(let bytes): base = Self.text(bytes)
        case .network(let bytes, let length): return "\(Self.text(bytes))/\(length)"
        }
        guard let port else { return base }
        return base.contains(":") ? "[\(base)]:\(port)" : "\(base):\(port)"
    }

    private static func text(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}

private extension Substring {
    var trimmingBrackets: Substring {
        hasPrefix("[") && hasSuffix("]") ? dropFirst().dropLast() : self
    }
}
