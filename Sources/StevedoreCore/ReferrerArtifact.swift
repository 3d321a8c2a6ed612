import Foundation

/// An OCI 1.1 artifact to attach to an image: one blob (an SBOM, a signature) with its media type, the
/// artifact's type and annotations. ``manifest(subject:)`` makes the artifact manifest that names the image as
/// its `subject`, so registries and layouts list it among the image's referrers.
///
/// As a ``BlobSource`` it serves its two blobs: the empty configuration and the blob.
/// See <https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage>.
public struct ReferrerArtifact: Sendable, Hashable {
    /// The artifact's type, e.g. `application/spdx+json`.
    public var artifactType: String
    /// The blob's bytes.
    public var blob: Data
    /// The blob's media type, e.g. ``MediaType/spdxJSON``.
    public var mediaType: MediaType
    /// The artifact manifest's annotations.
    public var annotations: [String: String]

    /// An artifact of one blob.
    ///
    /// - Parameters:
    ///   - artifactType: the artifact's type; `nil` uses the blob's media type.
    ///   - sourceDateEpoch: when given, `org.opencontainers.image.created` is this time (SOURCE_DATE_EPOCH), so
    ///     the same blob gives the same manifest bytes; without it no time is recorded.
    public init(blob: Data, mediaType: MediaType, artifactType: String? = nil, annotations: [String: String] = [:], sourceDateEpoch: Int64? = nil) {
        self.blob = blob
        self.mediaType = mediaType
        self.artifactType = artifactType ?? mediaType.rawValue
        var annotations = annotations
        if let sourceDateEpoch { annotations[AnnotationKey.created] = Self.rfc3339(sourceDateEpoch) }
        self.annotations = annotations
    }

    /// The descriptor of the blob.
    public var blobDescriptor: Descriptor {
        Descriptor(mediaType: mediaType, digest: .sha256(of: blob), size: Int64(blob.count))
    }

    /// The artifact manifest attaching this artifact to `subject`: `artifactType`, the empty configuration,
    /// the blob as its one layer, `subject` (media type, digest and size only) and the annotations, encoded
    /// canonically.
    public func manifest(subject: Descriptor) throws -> ReferrerManifest {
        var manifest = ImageManifest(config: .emptyJSON, layers: [blobDescriptor], annotations: annotations.isEmpty ? nil : annotations)
        manifest.artifactType = artifactType
        manifest.subject = Descriptor(mediaType: subject.mediaType, digest: subject.digest, size: subject.size)
        return try ReferrerManifest(manifest: manifest)
    }

    /// Reads the artifact a referrer descriptor names: its manifest, then its first layer, whole.
    ///
    /// - Parameters:
    ///   - descriptor: the referrer, as listed among an image's referrers.
    ///   - source: where the manifest and its blob are.
    ///   - limit: the largest blob accepted (SBOMs are small; 64 MiB by default).
    /// - Throws: ``StevedoreError`` `referrerNotFound` when the manifest has no layer, `sizeMismatch` when the
    ///   blob is larger than `limit`, `digestMismatch` when its bytes do not have its digest.
    public static func read(_ descriptor: Descriptor, from source: any BlobSource, limit: Int = 64 << 20) async throws -> ReferrerArtifact {
        let data = try await source.blobData(descriptor, limit: 4 << 20)
        guard descriptor.digest.matches(data) else {
            throw StevedoreError(.digestMismatch, "the artifact manifest \(descriptor.digest) has the digest \(descriptor.digest.recomputed(for: data))")
        }
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "artifact manifest \(descriptor.digest)")
        guard let layer = manifest.layers.first else {
            throw StevedoreError(.referrerNotFound, "the artifact manifest \(descriptor.digest) has no blob")
        }
        guard layer.size <= Int64(limit) else {
            throw StevedoreError(.sizeMismatch, "the artifact blob \(layer.digest) is \(ByteCountText.format(layer.size)), more than the \(ByteCountText.format(Int64(limit))) allowed for an attached artifact")
        }
        let blob = try await source.blobData(layer, limit: limit)
        guard layer.digest.matches(blob) else {
            throw StevedoreError(.digestMismatch, "the artifact blob \(layer.digest) has the digest \(layer.digest.recomputed(for: blob))")
        }
        var artifact = ReferrerArtifact(blob: blob, mediaType: layer.mediaType, artifactType: manifest.artifactType ?? descriptor.artifactType)
        artifact.annotations = manifest.annotations ?? [:]
        return artifact
    }

    private static func rfc3339(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

extension ReferrerArtifact: BlobSource {
    public func hasBlob(_ digest: Digest) async throws -> Bool {
        digest == Descriptor.emptyJSON.digest || digest == blobDescriptor.digest
    }

    public func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        if descriptor.digest == Descriptor.emptyJSON.digest {
            try await Self.deliver(Data(Descriptor.emptyJSONData), to: consumer)
        } else if descriptor.digest == blobDescriptor.digest {
            try await Self.deliver(blob, to: consumer)
        } else {
            throw StevedoreError(.blobNotFound, "the artifact \(artifactType) has no blob \(descriptor.digest)")
        }
    }

    private static func deliver(_ data: Data, to consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        let bytes = [UInt8](data)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        defer { memory.deallocate() }
        memory.copyBytes(from: bytes)
        try await consumer(UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count]))
    }
}
