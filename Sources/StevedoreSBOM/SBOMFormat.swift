import StevedoreCore

/// The document formats an SBOM is written in.
public enum SBOMFormat: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// SPDX 2.3 JSON (<https://spdx.github.io/spdx-spec/v2.3/>).
    case spdx
    /// CycloneDX 1.5 JSON (<https://cyclonedx.org/docs/1.5/json/>).
    case cyclonedx

    /// The media type of a document in this format, also the `artifactType` of an OCI artifact holding one.
    public var mediaType: MediaType {
        switch self {
        case .spdx: .spdxJSON
        case .cyclonedx: .cycloneDXJSON
        }
    }

    /// The usual file name extension, e.g. for a default output file.
    public var fileExtension: String {
        switch self {
        case .spdx: "spdx.json"
        case .cyclonedx: "cdx.json"
        }
    }

    public var description: String { rawValue }
}
