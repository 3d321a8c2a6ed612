import Foundation
import StevedoreCore

/// Referrers in an OCI layout: artifacts (SBOMs, signatures) attached to an image of the layout.
///
/// The layout keeps them as a registry without the referrers API does (the distribution specification's
/// referrers tag schema): `index.json` tags an OCI index `sha256-<hex>` (the subject's digest), and that
/// index lists the artifact manifests with their `artifactType` and annotations. Every blob stays reachable
/// from `index.json`, so umoci, skopeo and oci-image-tool read the layout as before, tools that walk the
/// whole layout (oras) find the referrers through their `subject`, and a layout without referrers is
/// unchanged byte for byte.
/// See <https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema>.
extension OCILayout {
    /// The referrers of `subject` in this layout, those of `artifactType` only when it is given.
    ///
    /// - Throws: ``StevedoreError`` `invalidIndex` when the referrers index cannot be read.
    public func referrers(of subject: Digest, artifactType: String? = nil) throws -> [Descriptor] {
        guard let entry = try referrersEntry(of: subject) else { return [] }
        return try referrersIndex(entry).referrers(artifactType: artifactType)
    }

    /// Stores a referrer: its blobs (copied from `blobs` when missing), its manifest, then the subject's
    /// referrers index and its `sha256-<hex>` tag in `index.json`, under the layout's lock.
    ///
    /// - Throws: ``StevedoreError`` `blobNotFound` when the subject is not in the layout, or the errors of the
    ///   blob copies.
    @discardableResult
    public func attach(_ referrer: ReferrerManifest, blobs: any BlobSource) async throws -> ReferrerAttachment {
        guard store.contains(referrer.subject.digest) else {
            throw StevedoreError(.blobNotFound, "\(path) does not hold \(referrer.subject.digest), the image the artifact refers to")
        }
        for descriptor in referrer.blobs {
            try await store.copy(descriptor, from: blobs)
        }
        try store.write(referrer.data)
        let tag = referrer.subject.digest.referrersTag
        let wasPresent = try withLock { () throws -> Bool in
            var index = try self.index()
            let existing = index.manifests.last { $0.annotations?[AnnotationKey.refName] == tag }
            var referrers = try existing.map(referrersIndex) ?? .emptyReferrers
            guard referrers.addReferrer(referrer.descriptor) else { return true }
            let data = try CanonicalJSON.encode(referrers)
            try store.write(data)
            index.manifests.removeAll { $0.annotations?[AnnotationKey.refName] == tag }
            index.manifests.append(Descriptor(mediaType: .ociIndex, digest: .sha256(of: data), size: Int64(data.count), annotations: [AnnotationKey.refName: tag]))
            try Self.replace("\(path)/index.json", with: CanonicalJSON.encode(index))
            return false
        }
        return ReferrerAttachment(descriptor: referrer.descriptor, subject: referrer.subject, referrersTag: tag, wasPresent: wasPresent)
    }

    /// Whether an entry of `index.json` is a referrers tag: an index tagged `<algorithm>-<hex>`.
    static func isReferrersEntry(_ descriptor: Descriptor) -> Bool {
        guard descriptor.mediaType.isIndex, let name = descriptor.annotations?[AnnotationKey.refName],
              let dash = name.firstIndex(of: "-") else { return false }
        let algorithm = name[..<dash], encoded = name[name.index(after: dash)...]
        return ["sha256", "sha512"].contains(algorithm) && encoded.count >= 64 && encoded.allSatisfy(\.isHexDigit)
    }

    private func referrersEntry(of subject: Digest) throws -> Descriptor? {
        let tag = subject.referrersTag
        return try index().manifests.last { $0.annotations?[AnnotationKey.refName] == tag && $0.mediaType.isIndex }
    }

    private func referrersIndex(_ entry: Descriptor) throws -> ImageIndex {
        guard let data = FileManager.default.contents(atPath: store.path(for: entry.digest)) else {
            throw StevedoreError(.invalidIndex, "\(path) tags the referrers index \(entry.digest), which is missing from its blobs")
        }
        return try CanonicalJSON.decode(ImageIndex.self, from: data, what: "referrers index \(entry.digest) in \(path)")
    }
}

extension LayoutImageSource: ReferrerSource {
    public func referrers(of subject: Digest, artifactType: String?) async throws -> [Descriptor] {
        try layout.referrers(of: subject, artifactType: artifactType)
    }
}

extension LayoutImageDestination: ReferrerDestination {
    public func attach(_ referrer: ReferrerManifest, blobs: any BlobSource) async throws -> ReferrerAttachment {
        try await layout.attach(referrer, blobs: blobs)
    }
}
