import StevedoreCore

/// A layer written by ``LayerWriter``: where it is in the blob sink and what its uncompressed tar is.
public struct WrittenLayer: Hashable, Sendable {
    /// The compressed blob: media type `application/vnd.oci.image.layer.v1.tar+gzip`, digest and size.
    public var descriptor: Descriptor
    /// The `sha256` of the uncompressed tar stream, for the image configuration's `rootfs.diff_ids`.
    public var diffID: Digest
    /// The size of the uncompressed tar stream in bytes.
    public var uncompressedSize: Int64

    /// Creates a written layer.
    public init(descriptor: Descriptor, diffID: Digest, uncompressedSize: Int64) {
        self.descriptor = descriptor
        self.diffID = diffID
        self.uncompressedSize = uncompressedSize
    }
}
