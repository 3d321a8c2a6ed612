import StevedoreCore

/// A docker-archive file as an ``ImageDestination``: one image, named `reference` in the archive.
public struct DockerArchiveDestination: ImageDestination {
    /// The writer of the file.
    public let writer: DockerArchiveWriter
    /// The name the archive gives the image (`docker load` tags it so), if any.
    public let reference: ImageReference?

    public init(path: String, reference: ImageReference?) {
        writer = DockerArchiveWriter(path: path)
        self.reference = reference
    }

    public var destinationDescription: String {
        ImageLocation.dockerArchive(path: writer.path, reference: reference).description
    }

    /// - Throws: ``StevedoreError`` for an index (a docker-archive holds images of one platform only).
    public func write(_ content: ImageContent, blobs: any BlobSource) async throws -> TransferResult {
        guard content.indexData == nil, let image = content.images.first else {
            throw StevedoreError(.archive, "\(destinationDescription) cannot hold an index of \(content.images.count) images: a docker-archive has one platform; choose one with --platform or write an OCI layout")
        }
        try await writer.write(image, from: blobs, reference: reference)
        var result = TransferResult(pinnedReference: "\(destinationDescription)@\(image.manifestDescriptor.digest)", digest: image.manifestDescriptor.digest)
        result.copiedBlobs = 1 + image.manifest.layers.count
        result.copiedBytes = image.manifest.layers.reduce(image.manifest.config.size) { $0 + $1.size }
        return result
    }
}
