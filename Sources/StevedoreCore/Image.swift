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
    /// Where blobs came from: the registry repository each blob (by digest) can be read or mounted from.
    ///
    /// An image read from a registry knows its repository for its configuration and every layer; an image
    /// built on such a base keeps it for the base's layers. A push to another repository of that registry
    /// mounts these blobs instead of uploading them (as go-containerregistry's `remote.MountableLayer` does).
    /// Not part of the image's bytes, nor of its equality.
    public var blobOrigins: [Digest: ImageReference]

    public init(manifestDescriptor: Descriptor, manifest: ImageManifest, manifestData: Data, configuration: ImageConfiguration, configurationData: Data, blobOrigins: [Digest: ImageReference] = [:]) {
        self.manifestDescriptor = manifestDescriptor
        self.manifest = manifest
        self.manifestData = manifestData
        self.configuration = configuration
        self.configurationData = configurationData
        self.blobOrigins = blobOrigins
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

extension Image {
    /// Two images are equal when their bytes are: where their layers came from does not matter.
    public static func == (lhs: Image, rhs: Image) -> Bool {
        lhs.manifestDescriptor == rhs.manifestDescriptor && lhs.manifestData == rhs.manifestData && lhs.configurationData == rhs.configurationData
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(manifestDescriptor)
        hasher.combine(manifestData)
    }
}

/// A source that names one image or index: a tag in a layout, a reference in a registry.
public protocol ImageSource: BlobSource {
    /// A short name of the source for messages, e.g. `oci-layout:out:latest`.
    var sourceDescription: String { get }
    /// The descriptor of the manifest or index the source names.
    func resolveRoot() async throws -> Descriptor
    /// The registry repository the source's blobs live in, when it is one (see ``Image/blobOrigins``).
    var registryOrigin: ImageReference? { get }
}

extension ImageSource {
    public var registryOrigin: ImageReference? { nil }

    /// Reads the image for `platform`, following an index when the source names one.
    ///
    /// - Parameter platform: which manifest to take from an index; `nil` takes the only one, or fails when there are several.
    public func loadImage(platform: Platform?) async throws -> Image {
        var descriptor = try await resolveRoot()
        var data = try await verifiedData(descriptor)
        if descriptor.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(descriptor.digest)")
            let manifests = index.imageManifests
            if let platform {
                guard let chosen = index.manifest(for: platform) else {
                    let available = manifests.compactMap { $0.platform?.description }.joined(separator: ", ")
                    throw StevedoreError(.invalidPlatform, "\(sourceDescription) has no image for \(platform) (it has: \(available.isEmpty ? "none" : available))")
                }
                descriptor = chosen
            } else if manifests.count == 1, let only = manifests.first {
                descriptor = only
            } else {
                let available = manifests.compactMap { $0.platform?.description }.joined(separator: ", ")
                throw StevedoreError(.invalidPlatform, "\(sourceDescription) is an index of several images (\(available)); choose one with --platform")
            }
            data = try await verifiedData(descriptor)
        }
        guard descriptor.mediaType.isManifest else {
            throw StevedoreError(.invalidMediaType, "\(sourceDescription) names \(descriptor.mediaType), not an image manifest or index")
        }
        let manifest = try CanonicalJSON.decode(ImageManifest.self, from: data, what: "manifest \(descriptor.digest)")
        let configData = try await verifiedData(manifest.config)
        let configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: configData, what: "configuration \(manifest.config.digest)")
        return Image(
            manifestDescriptor: descriptor, manifest: manifest, manifestData: data, configuration: configuration, configurationData: configData,
            blobOrigins: blobOrigins(of: manifest)
        )
    }

    /// Every blob's origin: this source's repository when it is a registry. An image stored elsewhere (a
    /// layout) that records its base with the `org.opencontainers.image.base.name` annotation may have its
    /// layers mounted from there: a registry answers a mount of a blob the base lacks with an ordinary upload
    /// session, so offering every layer costs no extra request.
    private func blobOrigins(of manifest: ImageManifest) -> [Digest: ImageReference] {
        if let origin = registryOrigin {
            return Dictionary(([manifest.config] + manifest.layers).map { ($0.digest, origin) }, uniquingKeysWith: { first, _ in first })
        }
        guard let name = manifest.annotations?[AnnotationKey.baseName], let base = try? ImageReference(parsing: name) else { return [:] }
        return Dictionary(manifest.layers.map { ($0.digest, base) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads a small blob and checks its digest and size.
    public func verifiedData(_ descriptor: Descriptor) async throws -> Data {
        let data = try await blobData(descriptor)
        let actual = descriptor.digest.recomputed(for: data)
        guard actual == descriptor.digest else {
            throw StevedoreError(.digestMismatch, "\(descriptor.mediaType) from \(sourceDescription) has digest \(actual), expected \(descriptor.digest)")
        }
        guard Int64(data.count) == descriptor.size else {
            throw StevedoreError(.sizeMismatch, "\(descriptor.mediaType) \(descriptor.digest) from \(sourceDescription) is \(data.count) bytes, its descriptor says \(descriptor.size)")
        }
        return data
    }
}
