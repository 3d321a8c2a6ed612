/// A place an image or index can be written to: an OCI layout tag, a registry reference, a docker-archive.
///
/// Destinations take the whole ``ImageContent`` at once, because each has its own order of work (a registry
/// wants blobs, then manifests, then tags; a layout links blobs it shares a file system with).
public protocol ImageDestination: Sendable {
    /// A short name of the destination for messages, e.g. `oci-layout:out:latest`.
    var destinationDescription: String { get }
    /// Writes `content`, reading the blobs it lacks from `blobs`.
    ///
    /// - Returns: what was written and how much moved.
    func write(_ content: ImageContent, blobs: any BlobSource) async throws -> TransferResult
}

/// What writing an image to a destination did.
public struct TransferResult: Sendable, Hashable {
    /// The destination with the digest of what it now holds, e.g. `ghcr.io/o/r:1@sha256:…` or
    /// `oci-layout:out:latest@sha256:…`: the line the CLI prints.
    public var pinnedReference: String
    /// The digest of the root written (manifest or index).
    public var digest: Digest
    /// Blobs copied or uploaded, and their bytes.
    public var copiedBlobs = 0
    public var copiedBytes: Int64 = 0
    /// Blobs mounted from another repository of the same registry.
    public var mountedBlobs = 0
    /// Blobs the destination had already.
    public var existingBlobs = 0
    /// Referrers (attached artifacts) copied along, with `--referrers`.
    public var referrers = 0

    /// The result of writing the root `digest` to the destination `pinnedReference` names; set the counts.
    public init(pinnedReference: String, digest: Digest) { (self.pinnedReference, self.digest) = (pinnedReference, digest) }
}

/// Moves images between sources and destinations, as `crane.Copy` does: the one path behind `push`, `pull`,
/// `copy` and the outputs of `build`.
public enum ImageTransfer {
    /// Copies what `source` names to `destination`.
    ///
    /// - Parameter platform: one image of an index; `nil` copies everything the source names.
    public static func copy(from source: any ImageSource, to destination: any ImageDestination, platform: Platform? = nil) async throws -> TransferResult {
        let content = try await source.loadContent(platform: platform)
        return try await destination.write(content, blobs: source)
    }
}
