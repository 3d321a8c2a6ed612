import Foundation

/// A media type of an OCI or Docker v2 manifest, index, configuration or layer.
///
/// Registries and tools send types nobody listed, so this is an open set: any string is kept as is.
/// See <https://github.com/opencontainers/image-spec/blob/main/media-types.md>.
public struct MediaType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    // OCI
    public static let ociManifest: MediaType = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex: MediaType = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig: MediaType = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer: MediaType = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip: MediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd: MediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociEmpty: MediaType = "application/vnd.oci.empty.v1+json"
    // Artifacts attached to images (SBOMs)
    /// An SPDX document in JSON (<https://spdx.github.io/spdx-spec/v2.3/>).
    public static let spdxJSON: MediaType = "application/spdx+json"
    /// A CycloneDX document in JSON (<https://cyclonedx.org/specification/overview/>).
    public static let cycloneDXJSON: MediaType = "application/vnd.cyclonedx+json"
    // Docker v2 schema 2
    public static let dockerManifest: MediaType = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList: MediaType = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig: MediaType = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip: MediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerForeignLayerGzip: MediaType = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"

    /// An image manifest (OCI or Docker v2 schema 2).
    public var isManifest: Bool { self == .ociManifest || self == .dockerManifest }
    /// An index of manifests (OCI index or Docker manifest list).
    public var isIndex: Bool { self == .ociIndex || self == .dockerManifestList }
    /// An image configuration.
    public var isConfig: Bool { self == .ociConfig || self == .dockerConfig }
    /// A filesystem layer.
    public var isLayer: Bool {
        rawValue.hasPrefix("application/vnd.oci.image.layer.") || rawValue.hasPrefix("application/vnd.docker.image.rootfs.")
    }
    /// A layer compressed with gzip.
    public var isGzipLayer: Bool {
        self == .ociLayerGzip || self == .dockerLayerGzip || self == .dockerForeignLayerGzip
            || self == "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    }
    /// A layer compressed with zstd.
    public var isZstdLayer: Bool {
        self == .ociLayerZstd || self == "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
    }
    /// An uncompressed tar layer.
    public var isUncompressedLayer: Bool {
        self == .ociLayer || self == "application/vnd.oci.image.layer.nondistributable.v1.tar"
    }

    /// Every manifest and index type, as an HTTP `Accept` list.
    public static let manifestTypes: [MediaType] = [.ociIndex, .ociManifest, .dockerManifestList, .dockerManifest]

    /// The media type a manifest or index document declares in its `mediaType` field; for an OCI document
    /// that omits it, an index (it has `manifests`) or a manifest (it has `config`).
    public static func declared(in document: Data) -> MediaType? {
        guard let object = try? JSONSerialization.jsonObject(with: document) as? [String: Any] else { return nil }
        if let type = object["mediaType"] as? String { return MediaType(type) }
        if object["manifests"] != nil { return .ociIndex }
        if object["config"] != nil { return .ociManifest }
        return nil
    }
}
