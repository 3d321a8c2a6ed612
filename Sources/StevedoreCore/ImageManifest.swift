/// An image manifest: one configuration and its ordered layers.
///
/// Decodes OCI manifests and Docker v2 schema 2 manifests alike.
/// See <https://github.com/opencontainers/image-spec/blob/main/manifest.md>.
public struct ImageManifest: Hashable, Sendable, Codable {
    public var schemaVersion: Int
    public var mediaType: MediaType?
    public var artifactType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(mediaType: MediaType = .ociManifest, config: Descriptor, layers: [Descriptor], annotations: [String: String]? = nil) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }
}

/// An index: a list of manifests, one per platform, or any set of descriptors.
///
/// Decodes OCI indexes and Docker manifest lists alike.
/// See <https://github.com/opencontainers/image-spec/blob/main/image-index.md>.
public struct ImageIndex: Hashable, Sendable, Codable {
    public var schemaVersion: Int
    public var mediaType: MediaType?
    public var artifactType: String?
    public var manifests: [Descriptor]
    public var subject: Descriptor?
    public var annotations: [String: String]?

    public init(mediaType: MediaType = .ociIndex, manifests: [Descriptor], annotations: [String: String]? = nil) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }

    /// The image manifests, without the attestations (buildx provenance, SBOMs) that sit beside the images
    /// with platform `unknown/unknown`.
    public var imageManifests: [Descriptor] {
        manifests.filter {
            $0.mediaType.isManifest && $0.annotations?["vnd.docker.reference.type"] != "attestation-manifest" && $0.platform?.os != "unknown"
        }
    }

    /// The manifest for `platform`, preferring an exact variant, or `nil`.
    public func manifest(for platform: Platform) -> Descriptor? {
        let candidates = manifests.filter { $0.mediaType.isManifest && ($0.platform.map { platform.matches($0) } ?? false) }
        return candidates.first { $0.platform?.normalized.variant == platform.normalized.variant } ?? candidates.first
    }
}
