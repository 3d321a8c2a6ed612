import Foundation
import StevedoreCore

/// An SBOM document as bytes, ready to be written to a file or attached to its image as an OCI artifact.
public struct GeneratedSBOM: Hashable, Sendable {
    /// The format of ``bytes``.
    public var format: SBOMFormat
    /// The document: JSON with sorted keys, the same bytes for the same inputs.
    public var bytes: Data

    /// Creates a generated document.
    public init(format: SBOMFormat, bytes: Data) {
        self.format = format
        self.bytes = bytes
    }

    /// The document's media type: `application/spdx+json` or `application/vnd.cyclonedx+json`.
    public var mediaType: MediaType { format.mediaType }
}
