import StevedoreCore

/// A repository of a registry as an ``ImageDestination``: the push of ``RegistryClient/push(_:)``.
public struct RegistryImageDestination: ImageDestination {
    /// The client that pushes.
    public let client: RegistryClient
    /// Where to push: registry, repository and the first tag (none pushes by digest only).
    public let reference: ImageReference
    /// More tags for the same manifest or index.
    public let additionalTags: [ImageTag]

    public init(client: RegistryClient, reference: ImageReference, additionalTags: [ImageTag] = []) {
        self.client = client
        self.reference = reference
        self.additionalTags = additionalTags
    }

    public var destinationDescription: String { reference.description }

    public func write(_ content: ImageContent, blobs: any BlobSource) async throws -> TransferResult {
        let result = try await client.push(PushRequest(content: content, blobs: blobs, target: reference, additionalTags: additionalTags))
        return TransferResult(
            pinnedReference: result.pinnedReference, digest: result.digest,
            copiedBlobs: result.uploadedBlobs, copiedBytes: result.uploadedBytes, mountedBlobs: result.mountedBlobs, existingBlobs: result.existingBlobs
        )
    }
}
