import StevedoreCore

/// An image that was pushed: where, under which digest and tags.
public struct PublishedImage: Hashable, Sendable {
    /// `REGISTRY/PATH` without tag or digest.
    public var repository: String
    /// The digest of the pushed manifest.
    public var digest: Digest
    /// The tags pushed, in order.
    public var tags: [String]
    /// Whether the work tree was dirty when the image was built.
    public var isDirty: Bool
    /// With `--platform-tag`, the plain tags the index over every platform is to get (see
    /// ``PublishDestination/indexTags``); empty otherwise.
    public var indexTags: [String]
    /// The file holding the image's SBOM, attached to it in the registry, when one was made.
    public var sbomFile: String?

    /// Creates a description of a pushed image.
    public init(repository: String, digest: Digest, tags: [String], isDirty: Bool = false, indexTags: [String] = [], sbomFile: String? = nil) {
        self.repository = repository
        self.digest = digest
        self.tags = tags
        self.isDirty = isDirty
        self.indexTags = indexTags
        self.sbomFile = sbomFile
    }

    /// `REGISTRY/PATH@sha256:…`: the reference that always names exactly this image.
    public var pinnedReference: String { "\(repository)@\(digest)" }

    /// `REGISTRY/PATH:TAG@sha256:…` with the first tag: what the pushed-image file holds, and what
    /// `stevedore deploy kamal` reads back.
    public var taggedPinnedReference: String {
        guard let tag = tags.first else { return pinnedReference }
        return "\(repository):\(tag)@\(digest)"
    }
}
