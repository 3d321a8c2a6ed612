import Foundation

/// A manifest with a `subject`, ready to be written as a referrer of that subject: its exact bytes, and the
/// descriptor the subject's referrers index lists it with (`artifactType` and annotations copied from the
/// manifest, as the distribution specification's referrers API does).
///
/// See <https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers>.
public struct ReferrerManifest: Sendable, Hashable {
    /// The manifest.
    public var manifest: ImageManifest
    /// Its exact bytes.
    public var data: Data
    /// Its descriptor for a referrers index: media type, digest, size, `artifactType` and annotations.
    public var descriptor: Descriptor
    /// The descriptor of the manifest it refers to.
    public var subject: Descriptor

    /// Encodes `manifest` canonically.
    ///
    /// - Throws: ``StevedoreError`` `referrerNotFound` when the manifest has no `subject`.
    public init(manifest: ImageManifest) throws {
        try self.init(data: try CanonicalJSON.encode(manifest))
    }

    /// A manifest read back as it is, e.g. one copied with its image.
    ///
    /// - Throws: ``StevedoreError`` `invalidJSON` for a document that is not a manifest, `referrerNotFound`
    ///   when it has no `subject`.
    public init(data: Data) throws {
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "referrer manifest \(Digest.sha256(of: data))")
        guard let subject = manifest.subject else {
            throw StevedoreError(.referrerNotFound, "the manifest \(Digest.sha256(of: data)) has no subject, so it refers to no image")
        }
        self.manifest = manifest
        self.data = data
        self.subject = subject
        // The configuration's type stands for the artifact type when the manifest has none, unless it is
        // the empty configuration (distribution specification, "Listing Referrers").
        let artifactType = manifest.artifactType ?? (manifest.config.mediaType == .ociEmpty ? nil : manifest.config.mediaType.rawValue)
        descriptor = Descriptor(
            mediaType: manifest.mediaType ?? .ociManifest, digest: .sha256(of: data), size: Int64(data.count),
            annotations: manifest.annotations, artifactType: artifactType
        )
    }

    /// The blobs the manifest names: its configuration, then its layers, each once.
    public var blobs: [Descriptor] {
        var seen = Set<Digest>()
        return ([manifest.config] + manifest.layers).filter { seen.insert($0.digest).inserted }
    }
}
