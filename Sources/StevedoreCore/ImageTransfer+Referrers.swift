extension ImageTransfer {
    /// Copies the referrers of each of `subjects` (SBOMs, signatures attached to them) with their blobs,
    /// byte for byte, so their digests and subjects stay the same. The subjects must already be at the
    /// destination.
    ///
    /// - Returns: the referrers copied (or found already there).
    @discardableResult
    public static func copyReferrers(of subjects: [Digest], from source: any ReferrerSource, to destination: any ReferrerDestination) async throws -> [ReferrerAttachment] {
        var attached: [ReferrerAttachment] = []
        var seen = Set<Digest>()
        for subject in subjects where seen.insert(subject).inserted {
            for descriptor in try await source.referrers(of: subject, artifactType: nil) where descriptor.mediaType.isManifest {
                let data = try await source.blobData(descriptor, limit: 4 << 20)
                guard descriptor.digest.matches(data) else {
                    throw StevedoreError(.digestMismatch, "the referrer \(descriptor.digest) of \(subject) has the digest \(descriptor.digest.recomputed(for: data))")
                }
                attached.append(try await destination.attach(try ReferrerManifest(data: data), blobs: source))
            }
        }
        return attached
    }

    /// The manifests whose referrers go along with `content`: the root, and for an index each image in it.
    public static func referrerSubjects(of content: ImageContent) -> [Digest] {
        [content.rootDescriptor.digest] + (content.isIndex ? content.images.map(\.manifestDescriptor.digest) : [])
    }
}

extension ImageTransfer {
    /// Copies what `source` names to `destination` and, with `referrers`, the referrers of the copied root
    /// (and of each image of an index) after it.
    ///
    /// - Throws: ``StevedoreError`` `unusableLocation` when `referrers` is set and either side cannot hold referrers.
    public static func copy(from source: any ImageSource, to destination: any ImageDestination, platform: Platform?, referrers: Bool) async throws -> TransferResult {
        guard referrers else { return try await copy(from: source, to: destination, platform: platform) }
        guard let referrerSource = source as? any ReferrerSource else {
            throw StevedoreError(.unusableLocation, "\(source.sourceDescription) cannot list referrers; copy without --referrers")
        }
        guard let referrerDestination = destination as? any ReferrerDestination else {
            throw StevedoreError(.unusableLocation, "\(destination.destinationDescription) cannot hold referrers; copy without --referrers")
        }
        let content = try await source.loadContent(platform: platform)
        var result = try await destination.write(content, blobs: source)
        result.referrers = try await copyReferrers(of: referrerSubjects(of: content), from: referrerSource, to: referrerDestination).count
        return result
    }
}
