import Foundation

/// What a location names: one image, or an index and the images it lists.
///
/// This is what moves between an ``ImageSource`` and an ``ImageDestination``.
public struct ImageContent: Sendable {
    /// The images; with more than one, ``indexData`` lists them.
    public var images: [Image]
    /// The exact bytes of the index, when the content is an index.
    public var indexData: Data?

    /// One image.
    public init(image: Image) {
        images = [image]
        indexData = nil
    }

    /// An index and the images it lists.
    public init(images: [Image], indexData: Data) {
        self.images = images
        self.indexData = indexData
    }

    /// The descriptor of the root: the index, or the only image's manifest (without a platform).
    public var rootDescriptor: Descriptor {
        if let indexData {
            return Descriptor(mediaType: MediaType.declared(in: indexData) ?? .ociIndex, digest: .sha256(of: indexData), size: Int64(indexData.count))
        }
        var descriptor = images[0].manifestDescriptor
        descriptor.platform = nil
        return descriptor
    }

    /// Every configuration and layer, each once, largest first: the order in which blobs are best moved.
    public var blobs: [Descriptor] {
        var seen = Set<Digest>()
        var result: [Descriptor] = []
        for image in images {
            for descriptor in [image.manifest.config] + image.manifest.layers where seen.insert(descriptor.digest).inserted {
                result.append(descriptor)
            }
        }
        return result.sorted { $0.size > $1.size }
    }
}

extension ImageSource {
    /// Reads what the source names: the whole index with every image in it (`platform` `nil`), or the one
    /// image for `platform`.
    ///
    /// - Throws: ``StevedoreError`` when an index lists no image, or a child without a platform.
    public func loadContent(platform: Platform?) async throws -> ImageContent {
        if let platform { return ImageContent(image: try await loadImage(platform: platform)) }
        let root = try await resolveRoot()
        guard root.mediaType.isIndex else { return ImageContent(image: try await loadImage(platform: nil)) }
        let data = try await verifiedData(root)
        let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(root.digest)")
        var images: [Image] = []
        for child in index.manifests where child.mediaType.isManifest {
            guard child.platform != nil else {
                throw StevedoreError(.invalidPlatform, "the index \(root.digest) of \(sourceDescription) lists \(child.digest) without a platform")
            }
            images.append(try await ChildImageSource(parent: self, root: child).loadImage(platform: nil))
        }
        guard !images.isEmpty else {
            throw StevedoreError(.invalidMediaType, "the index \(root.digest) of \(sourceDescription) lists no image manifest")
        }
        return ImageContent(images: images, indexData: data)
    }
}

/// One manifest of an index, read through the source that holds the index.
private struct ChildImageSource<Parent: ImageSource>: ImageSource {
    var parent: Parent
    var root: Descriptor

    var sourceDescription: String { "\(parent.sourceDescription)@\(root.digest)" }
    var registryOrigin: ImageReference? { parent.registryOrigin }
    func resolveRoot() async throws -> Descriptor { root }
    func hasBlob(_ digest: Digest) async throws -> Bool { try await parent.hasBlob(digest) }
    func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        try await parent.readBlob(descriptor, into: consumer)
    }
}
