/// A registry's host name and port, as credentials and sessions are keyed: lowercase, without a scheme, a path
/// or the default HTTPS port, and with Docker Hub's aliases folded into `docker.io`.
///
/// `https://GHCR.io/`, `ghcr.io:443` and `ghcr.io` are one registry.
public struct RegistryHost: Hashable, Sendable, CustomStringConvertible {
    /// `host[:port]`, normalised.
    public let name: String

    /// Normalises `text`, which may carry `https://` or `http://` and a trailing path.
    ///
    /// - Throws: ``StevedoreError`` `invalidReference` when no host is left.
    public init(parsing text: String) throws {
        var host = Substring(text)
        for scheme in ["https://", "http://"] where host.lowercased().hasPrefix(scheme) { host = host.dropFirst(scheme.count) }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        var name = ImageReference.normalizedRegistry(String(host))
        if name == "index.docker.io" || name == "registry-1.docker.io" { name = ImageReference.dockerHub }
        guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "@" }) else {
            throw StevedoreError(.invalidReference, "'\(text)' is not a registry host; expected HOST[:PORT], e.g. ghcr.io or 127.0.0.1:5000")
        }
        self.name = name
    }

    public var description: String { name }
}
