import Foundation
import NIOHTTP1
import StevedoreCore

/// Referrers in a registry: artifacts (SBOMs, signatures) attached to an image by their `subject`.
///
/// A registry with the referrers API (distribution specification 1.1) answers a manifest `PUT` with an
/// `OCI-Subject` header and lists referrers at `/v2/NAME/referrers/DIGEST`. Others (Debian's docker-registry
/// 2.8, ghcr.io) get the referrers tag schema: the client keeps an OCI index of the referrers under the tag
/// `sha256-<hex>` of the subject's digest.
/// See <https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-manifests-with-subject>.
extension RegistryClient {
    /// Pushes a referrer to the repository of `repository`: its blobs (read from `blobs`), its manifest by
    /// digest, then, when the registry did not answer with `OCI-Subject`, the subject's referrers index under
    /// the tag `sha256-<hex>` (unless the index lists the referrer already). In that order, so a failure leaves
    /// no index naming a missing manifest.
    ///
    /// - Throws: ``StevedoreError`` for transfer and authentication failures (the push needs push rights),
    ///   `invalidResponse` when the referrers tag holds something other than an index.
    @discardableResult
    public func attach(_ referrer: ReferrerManifest, blobs: any BlobSource, to repository: ImageReference) async throws -> ReferrerAttachment {
        let deadline = makeDeadline()
        let target = ImageReference(registry: repository.registry, repository: repository.repository)
        let scopes: [RegistryScope] = [.pullPush(target.repository)]
        for descriptor in referrer.blobs {
            _ = try await pushBlob(descriptor, target: target, blobs: blobs, origin: nil, scopes: scopes, deadline: deadline)
        }
        let digest = referrer.descriptor.digest
        let headers = try await putManifest(
            referrer.data, mediaType: referrer.descriptor.mediaType, digest: digest, reference: digest.description,
            target: target, scopes: scopes, deadline: deadline
        )
        if headers.first(name: "OCI-Subject") != nil {
            configuration.logger.info("registry keeps referrers", metadata: ["stevedore.registry": "\(target.registry)", "stevedore.referrer": "\(digest)"])
            return ReferrerAttachment(descriptor: referrer.descriptor, subject: referrer.subject, referrersTag: nil, wasPresent: false)
        }
        let tag = referrer.subject.digest.referrersTag
        var index = try await referrersTagIndex(of: referrer.subject.digest, in: target, deadline: deadline) ?? .emptyReferrers
        guard index.addReferrer(referrer.descriptor) else {
            return ReferrerAttachment(descriptor: referrer.descriptor, subject: referrer.subject, referrersTag: tag, wasPresent: true)
        }
        let data = try CanonicalJSON.encode(index)
        try await putManifest(data, mediaType: .ociIndex, digest: .sha256(of: data), reference: tag, target: target, scopes: scopes, deadline: deadline)
        configuration.logger.info("referrers tag updated", metadata: ["stevedore.registry": "\(target.registry)", "stevedore.tag": "\(tag)"])
        return ReferrerAttachment(descriptor: referrer.descriptor, subject: referrer.subject, referrersTag: tag, wasPresent: false)
    }

    /// The referrers of `subject` in the repository of `repository`: from the referrers API when the registry
    /// answers it with an index, else from the referrers tag; those of `artifactType` only when it is given.
    ///
    /// - Throws: ``StevedoreError`` for transfer and authentication failures, `invalidResponse` when the
    ///   registry's answer is not an index.
    public func referrers(of subject: Digest, in repository: ImageReference, artifactType: String? = nil) async throws -> [Descriptor] {
        let deadline = makeDeadline()
        var path = "/v2/\(repository.repository)/referrers/\(subject)"
        if let artifactType { path = RegistryTransport.appendingQuery(path, name: "artifactType", value: artifactType) }
        let request = RegistryRequest(
            method: .GET, registry: repository.apiHost, target: path, headers: [("Accept", MediaType.ociIndex.rawValue)],
            scopes: [Self.pullScope(repository)], accepted: [200, 400, 404, 405]
        )
        let response = try await transport.exchange(request, deadline: deadline, limit: 4 << 20)
        let contentType = response.headers.first(name: "Content-Type").map(Self.mediaType(fromContentType:))
        if response.status == 200, contentType == .ociIndex || MediaType.declared(in: response.body) == .ociIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: response.body, what: "the referrers of \(subject) from \(repository.registry)")
            // A registry may ignore the filter (it says which it applied in `OCI-Filters-Applied`).
            return index.referrers(artifactType: artifactType)
        }
        return try await referrersTagIndex(of: subject, in: repository, deadline: deadline)?.referrers(artifactType: artifactType) ?? []
    }

    /// The index under the referrers tag of `subject`, or `nil` when the tag does not exist.
    private func referrersTagIndex(of subject: Digest, in repository: ImageReference, deadline: OperationDeadline) async throws -> ImageIndex? {
        let reference = ImageReference(registry: repository.registry, repository: repository.repository, tag: subject.referrersTag)
        let fetched: (descriptor: Descriptor, data: Data)
        do {
            fetched = try await fetchManifest(reference, deadline: deadline)
        } catch let error as StevedoreError where error.code == .manifestNotFound {
            return nil
        }
        guard fetched.descriptor.mediaType.isIndex else {
            throw StevedoreError(.invalidResponse, "\(reference) is a \(fetched.descriptor.mediaType), not the index of referrers the tag schema keeps there; remove the tag or fix it")
        }
        return try CanonicalJSON.decode(ImageIndex.self, from: fetched.data, what: "the referrers index \(reference)")
    }
}

extension RegistryImageSource: ReferrerSource {
    public func referrers(of subject: Digest, artifactType: String?) async throws -> [Descriptor] {
        try await client.referrers(of: subject, in: reference, artifactType: artifactType)
    }
}

extension RegistryImageDestination: ReferrerDestination {
    public func attach(_ referrer: ReferrerManifest, blobs: any BlobSource) async throws -> ReferrerAttachment {
        try await client.attach(referrer, blobs: blobs, to: reference)
    }
}
