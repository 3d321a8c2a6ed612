import Foundation

extension RegistryTransport {
    /// An absolute URL for a path or URL.
    static func absolute(_ target: String, base: String) -> String {
        if target.hasPrefix("http://") || target.hasPrefix("https://") { return target }
        if target.hasPrefix("/") { return base + target }
        return base + "/" + target
    }

    /// A `Location` resolved against the URL it answered.
    static func resolve(_ location: String, against url: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        let origin = Self.origin(of: url)
        if location.hasPrefix("//") { return (url.hasPrefix("https") ? "https:" : "http:") + location }
        if location.hasPrefix("/") { return origin + location }
        var directory = String(url.prefix { $0 != "?" })
        if let slash = directory.lastIndex(of: "/"), slash > directory.index(directory.startIndex, offsetBy: origin.count - 1) {
            directory = String(directory[...slash])
        } else {
            directory += "/"
        }
        return directory + location
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let range = url.range(of: "://") else { return url }
        let rest = url[range.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        return String(url[..<end]).lowercased()
    }

    /// `host[:port]` of a URL.
    static func hostPort(of url: String) -> String {
        let origin = origin(of: url)
        guard let range = origin.range(of: "://") else { return origin }
        var host = String(origin[range.upperBound...])
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        return host
    }

    /// A URL without its query string or fragment, for logs and messages.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    /// Whole milliseconds since `start`.
    static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    /// `url` with `name=value` added to its query (after `&` when it has one).
    static func appendingQuery(_ url: String, name: String, value: String) -> String {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? value
        return url + (url.contains("?") ? "&" : "?") + "\(name)=\(encoded)"
    }
}
