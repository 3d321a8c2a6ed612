/// A place that lists the referrers of a manifest: artifacts (SBOMs, signatures) attached to an image.
///
/// A registry answers through its referrers API or the referrers tag schema, an OCI layout through the
/// referrers tag in its `index.json`. The referrers' manifests and blobs are read like any blob.
/// See <https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers>.
public protocol ReferrerSource: BlobSource {
    /// The descriptors of the manifests whose `subject` is `subject`, each with its `artifactType` and
    /// annotations; only those of `artifactType` when it is given. None is an empty list.
    func referrers(of subject: Digest, artifactType: String?) async throws -> [Descriptor]
}

/// A place that can record a manifest as a referrer of the manifest it names as `subject`.
public protocol ReferrerDestination: Sendable {
    /// Writes the referrer's blobs (read from `blobs` when missing), then its manifest, then records it among
    /// its subject's referrers (unless it is there already), in that order, so that a failure leaves no
    /// listing naming missing content.
    @discardableResult
    func attach(_ referrer: ReferrerManifest, blobs: any BlobSource) async throws -> ReferrerAttachment
}

/// Where a referrer was recorded.
public struct ReferrerAttachment: Sendable, Hashable {
    /// The referrer manifest's descriptor, as its subject's referrers list it.
    public var descriptor: Descriptor
    /// The subject's descriptor.
    public var subject: Descriptor
    /// The referrers tag (`sha256-<hex>`) updated, or `nil` when the registry's referrers API keeps the list.
    public var referrersTag: String?
    /// Whether the subject's referrers list already held the referrer.
    public var wasPresent: Bool

    public init(descriptor: Descriptor, subject: Descriptor, referrersTag: String?, wasPresent: Bool) {
        (self.descriptor, self.subject, self.referrersTag, self.wasPresent) = (descriptor, subject, referrersTag, wasPresent)
    }
}
