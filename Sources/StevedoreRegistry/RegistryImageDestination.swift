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
        var transfer = TransferResult(pinnedReference: result.pinnedReference, digest: result.digest)
        (transfer.copiedBlobs, transfer.copiedBytes) = (result.uploadedBlobs, result.uploadedBytes)
        (transfer.mountedBlobs, transfer.existingBlobs) = (result.mountedBlobs, result.existingBlobs)
        return transfer
    }
}
