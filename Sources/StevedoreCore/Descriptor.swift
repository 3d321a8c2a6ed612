/// A reference to content: its media type, digest and size, and optional platform and annotations.
///
/// See <https://github.com/opencontainers/image-spec/blob/main/descriptor.md>.
public struct Descriptor: Hashable, Sendable, Codable {
    public var mediaType: MediaType
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    public var data: String?
    public var platform: Platform?
    public var artifactType: String?

    public init(
        mediaType: MediaType,
        digest: Digest,
        size: Int64,
        annotations: [String: String]? = nil,
        platform: Platform? = nil,
        artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
        self.artifactType = artifactType
    }
}

/// Annotation keys that Stevedore reads or writes.
///
/// See <https://github.com/opencontainers/image-spec/blob/main/annotations.md>.
public enum AnnotationKey {
    /// The tag of a manifest in an OCI layout's `index.json`.
    public static let refName = "org.opencontainers.image.ref.name"
    /// The full name containerd and docker use for an image in a layout.
    public static let containerdImageName = "io.containerd.image.name"
    public static let created = "org.opencontainers.image.created"
    public static let source = "org.opencontainers.image.source"
    public static let revision = "org.opencontainers.image.revision"
    public static let baseName = "org.opencontainers.image.base.name"
    public static let baseDigest = "org.opencontainers.image.base.digest"
}
