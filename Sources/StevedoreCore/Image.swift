import Foundation

/// A single-platform image as read from a source: its manifest and configuration, with the exact bytes
/// that their digests name.
public struct Image: Sendable, Hashable {
    /// The descriptor of the manifest (digest of ``manifestData``).
    public var manifestDescriptor: Descriptor
    public var manifest: ImageManifest
    public var manifestData: Data
    public var configuration: ImageConfiguration
    public var configurationData: Data

    public init(manifestDescriptor: Descriptor, manifest: ImageManifest, manifestData: Data, configuration: ImageConfiguration, configurationData: Data) {
        self.manifestDescriptor = manifestDescriptor
        self.manifest = manifest
        self.manifestData = manifestData
        self.configuration = configuration
        self.configurationData = configurationData
    }

    /// Encodes a configuration and manifest canonically and returns the image they make.
    public init(configuration: ImageConfiguration, layers: [Descriptor], manifestAnnotations: [String: String]? = nil) throws {
        let configurationData = try CanonicalJSON.encode(configuration)
        let configDescriptor = Descriptor(mediaType: .ociConfig, digest: .sha256(of: configurationData), size: Int64(configurationData.count))
        let manifest = ImageManifest(config: configDescriptor, layers: layers, annotations: manifestAnnotations)
        let manifestData = try CanonicalJSON.encode(manifest)
        let descriptor = Descriptor(
            mediaType: .ociManifest,
            digest: .sha256(of: manifestData),
            size: Int64(manifestData.count),
            platform: configuration.platform
        )
        self.init(manifestDescriptor: descriptor, manifest: manifest, manifestData: manifestData, configuration: configuration, configurationData: configurationData)
    }
}

/// A source that names one image or index: a tag in a layout, a reference in a registry.
public protocol ImageSource: BlobSource {
    /// A short name of the source for messages, e.g. `oci-layout:out:latest`.
    var sourceDescription: String { get }
    /// The descriptor of the manifest or index the source names.
    func resolveRoot() async throws -> Descriptor
}

extension ImageSource {
    /// Reads the image for `platform`, following an index when the source names one.
    ///
    /// - Parameter platform: which manifest to take from an index; `nil` takes the only one, or fails when there are several.
    public func loadImage(platform: Platform?) async throws -> Image {
        var descriptor = try await resolveRoot()
        var data = try await verifiedData(descriptor)
        if descriptor.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(descriptor.digest)")
            // Attestations (buildx provenance, SBOMs) sit beside the images with platform unknown/unknown.
            let manifests = index.manifests.filter {
                $0.mediaType.isManifest && $0.annotations?["vnd.docker.reference.type"] != "attestation-manifest"
                    && $0.platform?.os != "unknown"
            }
            if let platform {
                guard let chosen = index.manifest(for: platform) else {
                    let available = manifests.compactMap { $0.platform?.description }.joined(separator: ", ")
                    throw ImageModelError(.invalidPlatform, "\(sourceDescription) has no image for \(platform) (it has: \(available.isEmpty ? "none" : available))")
                }
                descriptor = chosen
            } else if manifests.count == 1, let only = manifests.first {
                descriptor = only
            } else {
                let available = manifests.compactMap { $0.platform?.description }.joined(separator: ", ")
                throw ImageModelError(.invalidPlatform, "\(sourceDescription) is an index of several images (\(available)); choose one with --platform")
            }
            data = try await verifiedData(descriptor)
        }
        guard descriptor.mediaType.isManifest else {
            throw ImageModelError(.invalidMediaType, "\(sourceDescription) names \(descriptor.mediaType), not an image manifest or index")
        }
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "manifest \(descriptor.digest)")
        let configData = try await verifiedData(manifest.config)
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: configData, what: "configuration \(manifest.config.digest)")
        return Image(manifestDescriptor: descriptor, manifest: manifest, manifestData: data, configuration: configuration, configurationData: configData)
    }

    /// Reads a small blob and checks its digest and size.
    public func verifiedData(_ descriptor: Descriptor) async throws -> Data {
        let data = try await blobData(descriptor)
        let actual = Digest.sha256(of: data)
        guard descriptor.digest.algorithm != "sha256" || actual == descriptor.digest else {
            throw ImageModelError(.digestMismatch, "\(descriptor.mediaType) from \(sourceDescription) has digest \(actual), expected \(descriptor.digest)")
        }
        guard Int64(data.count) == descriptor.size else {
            throw ImageModelError(.sizeMismatch, "\(descriptor.mediaType) \(descriptor.digest) from \(sourceDescription) is \(data.count) bytes, its descriptor says \(descriptor.size)")
        }
        return data
    }
}
