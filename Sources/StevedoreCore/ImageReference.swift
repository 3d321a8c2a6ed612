/// A reference to an image in a registry: `registry[:port]/path[:tag][@digest]`.
///
/// Parsing follows the distribution reference grammar: a first component with a `.` or `:`, or
/// `localhost`, names the registry, else the image is on Docker Hub (`docker.io`, with `library/` for
/// single-component names). Path components are lowercase.
/// See <https://github.com/distribution/reference/blob/main/reference.go>.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry host and optional port, e.g. `ghcr.io` or `127.0.0.1:5000`.
    public var registry: String
    /// The repository path, e.g. `owner/repo`.
    public var repository: String
    /// The tag, if any.
    public var tag: String?
    /// The digest, if any; it wins over the tag when both are given.
    public var digest: Digest?

    /// The Docker Hub registry name.
    public static let dockerHub = "docker.io"

    public init(registry: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses and normalises a reference. A reference with neither tag nor digest gets no tag;
    /// use ``withDefaultTag`` to apply `latest`.
    ///
    /// - Throws: ``StevedoreError`` with code `invalidReference`, saying which part is wrong; a path with
    ///   capitals gets the lowercase form suggested.
    public init(parsing string: String) throws {
        func fail(_ why: String) -> StevedoreError {
            StevedoreError(.invalidReference, "invalid image reference '\(string)': \(why)")
        }
        guard !string.isEmpty else { throw fail("it is empty") }
        var rest = Substring(string)
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            do {
                digest = try Digest(parsing: String(rest[rest.index(after: at)...]))
            } catch let error as StevedoreError {
                throw fail(error.message)
            }
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[rest.index(after: colon)...].contains("/") {
            let candidate = String(rest[rest.index(after: colon)...])
            guard ImageTag.isValid(candidate) else { throw fail("tag '\(candidate)' must be \(ImageTag.grammar)") }
            tag = candidate
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var registry = Self.dockerHub
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.hasPrefix("[") {
            guard Self.isValidHost(first) else { throw fail("registry '\(first)' is not a valid host[:port]") }
            registry = first
            components.removeFirst()
        }
        if registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = Self.dockerHub }
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty }) else {
            throw fail("the repository path is empty or has an empty component")
        }
        for component in components where !Self.isValidPathComponent(component) {
            let lower = component.lowercased()
            if Self.isValidPathComponent(lower) {
                var suggestion = Self.lowercasedPath(String(rest))
                if let tag { suggestion += ":\(tag)" }
                if let digest { suggestion += "@\(digest)" }
                throw fail("repository names must be lowercase; use '\(suggestion)'")
            }
            throw fail("path component '\(component)' must be lowercase letters and digits separated by '.', '_', '__' or '-'")
        }
        if registry == Self.dockerHub, components.count == 1 { components.insert("library", at: 0) }
        let repository = components.joined(separator: "/")
        guard registry.utf8.count + 1 + repository.utf8.count <= 255 else { throw fail("the name is longer than 255 characters") }
        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    /// This reference, with tag `latest` when it has neither tag nor digest.
    public var withDefaultTag: ImageReference {
        var copy = self
        if copy.tag == nil, copy.digest == nil { copy.tag = "latest" }
        return copy
    }

    /// The reference with the digest replaced and the tag kept.
    public func with(digest: Digest) -> ImageReference {
        var copy = self
        copy.digest = digest
        return copy
    }

    /// The reference with another tag and no digest.
    public func with(tag: String) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: tag)
    }

    /// The reference with another tag and no digest.
    public func with(tag: ImageTag) -> ImageReference { with(tag: tag.name) }

    /// `registry/repository`, with neither tag nor digest.
    public var name: String { "\(registry)/\(repository)" }

    /// What to ask the registry for: the digest if there is one, else the tag (`latest` if none).
    public var identifier: String { digest?.description ?? tag ?? "latest" }

    /// The host to send API requests to (`registry-1.docker.io` for Docker Hub).
    public var apiHost: String { registry == Self.dockerHub ? "registry-1.docker.io" : registry }

    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// Whether `component` follows `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
    public static func isValidPathComponent(_ component: String) -> Bool {
        let bytes = Array(component.utf8)
        func alnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        var index = 0
        while index < bytes.count {
            if alnum(bytes[index]) { index += 1; continue }
            var end = index
            while end < bytes.count, !alnum(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let ok = separator.elementsEqual([0x2e]) || separator.elementsEqual([0x5f]) || separator.elementsEqual([0x5f, 0x5f])
                || separator.allSatisfy { $0 == 0x2d }
            guard ok else { return false }
            index = end
        }
        return true
    }

    /// A registry host as compared everywhere (credentials, plain-HTTP exceptions): host names are
    /// case-insensitive and `:443`, the HTTPS default port, is the same registry as no port (`GHCR.IO:443` is
    /// `ghcr.io`). A reference keeps the name as written.
    public static func normalizedRegistry(_ registry: String) -> String {
        var host = registry.lowercased()
        if host.hasSuffix(":443") { host.removeLast(4) }
        return host
    }

    private static func isValidHost(_ host: String) -> Bool {
        var hostPart = Substring(host)
        func isPort(_ text: Substring) -> Bool {
            guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(text) else { return false }
            return port <= 65535
        }
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let address = host[host.index(after: host.startIndex)..<close]
            func isIPv6Character(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) || b == 0x3a }
            guard address.contains(":"), address.utf8.allSatisfy(isIPv6Character) else { return false }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":", isPort(after.dropFirst()) else { return false }
            }
            return true
        }
        if let colon = host.lastIndex(of: ":") {
            guard isPort(host[host.index(after: colon)...]) else { return false }
            hostPart = host[..<colon]
        }
        return hostPart.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            func alnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) }
            guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
            return bytes.allSatisfy { alnum($0) || $0 == 0x2d }
        }
    }

    private static func lowercasedPath(_ name: String) -> String {
        var parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, let first = parts.first, first.contains(".") || first.contains(":") || first == "localhost" {
            parts = [first] + parts.dropFirst().map { $0.lowercased() }
        } else {
            parts = parts.map { $0.lowercased() }
        }
        return parts.joined(separator: "/")
    }
}
