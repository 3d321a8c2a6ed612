/// Where an image is read from or written to, as the CLI names it.
///
/// - `oci-layout:DIR[:TAG]` (alias `oci:`): an OCI image layout directory.
/// - `docker-archive:FILE[:NAME[:TAG]]`: a tarball that `docker load` and `podman load` accept.
/// - `docker://REF` or a bare reference: an image in a registry.
public enum ImageLocation: Hashable, Sendable, CustomStringConvertible {
    case layout(path: String, tag: String?)
    case dockerArchive(path: String, reference: ImageReference?)
    case registry(ImageReference)

    /// Parses a location.
    ///
    /// - Throws: ``StevedoreError`` with code `invalidLocation` or `invalidReference`.
    public init(parsing string: String) throws {
        if let rest = Self.strip(string, prefixes: ["oci-layout:", "oci:"]) {
            let (path, tag) = Self.split(rest)
            guard !path.isEmpty else {
                throw StevedoreError(.invalidLocation, "invalid location '\(string)': expected oci-layout:DIR[:TAG]")
            }
            if let tag, !ImageTag.isValid(tag) {
                throw StevedoreError(.invalidLocation, "invalid location '\(string)': tag '\(tag)' must be \(ImageTag.grammar)")
            }
            self = .layout(path: path, tag: tag)
        } else if let rest = Self.strip(string, prefixes: ["docker-archive:"]) {
            let (path, name) = Self.split(rest)
            guard !path.isEmpty else {
                throw StevedoreError(.invalidLocation, "invalid location '\(string)': expected docker-archive:FILE[:NAME[:TAG]]")
            }
            self = .dockerArchive(path: path, reference: try name.map { try ImageReference(parsing: $0).withDefaultTag })
        } else if let rest = Self.strip(string, prefixes: ["docker://"]) {
            self = .registry(try ImageReference(parsing: rest))
        } else if string.hasPrefix("/") || string.hasPrefix(".") {
            throw StevedoreError(.invalidLocation, "invalid location '\(string)': a directory needs a transport, e.g. oci-layout:\(string)")
        } else {
            self = .registry(try ImageReference(parsing: string))
        }
    }

    public var description: String {
        switch self {
        case .layout(let path, let tag): return "oci-layout:\(path)" + (tag.map { ":\($0)" } ?? "")
        case .dockerArchive(let path, let reference): return "docker-archive:\(path)" + (reference.map { ":\($0)" } ?? "")
        case .registry(let reference): return reference.description
        }
    }

    /// The registry (`host[:port]`) of a registry location, else `nil`.
    public var registryHost: String? {
        if case .registry(let reference) = self { return reference.registry }
        return nil
    }

    private static func strip(_ string: String, prefixes: [String]) -> String? {
        for prefix in prefixes where string.hasPrefix(prefix) { return String(string.dropFirst(prefix.count)) }
        return nil
    }

    /// Splits `PATH[:REST]` at the first colon, as skopeo does.
    private static func split(_ string: String) -> (String, String?) {
        guard let colon = string.firstIndex(of: ":") else { return (string, nil) }
        let rest = String(string[string.index(after: colon)...])
        return (String(string[..<colon]), rest.isEmpty ? nil : rest)
    }
}
