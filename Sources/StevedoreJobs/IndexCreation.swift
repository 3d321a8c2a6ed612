import Foundation
import StevedoreCore
import StevedoreRegistry

/// `stevedore index create`: one multi-platform image from images that already exist — the CI-matrix case, where
/// an arm64 runner and an amd64 runner each push their platform and a last job joins them.
///
/// Indexes among the sources are flattened; every image keeps its manifest digest, so the index is the one a
/// single build of the same executables makes (see ``ImageContent/init(indexOf:annotations:)``). Blobs are
/// mounted or copied as `stevedore copy` moves them; images come first, the index and its tags last.
public struct IndexCreation: Sendable {
    /// The images: registry references or OCI layouts, each an image or an index.
    public var sources: [ImageLocation]
    /// The index's annotations.
    public var annotations: [String: String] = [:]
    /// OCI layouts to write the index to.
    public var outputs: [ImageLocation] = []
    /// Where to push it.
    public var push: ImageReference?
    /// More tags for every output and the push.
    public var tags: [ImageTag] = []

    public init(sources: [ImageLocation]) {
        self.sources = sources
    }

    /// Reads every source, makes the index and writes it everywhere.
    ///
    /// - Returns: the index and one result per output, then the push's.
    /// - Throws: ``StevedoreError`` `duplicatePlatform` naming both sources when two images are for one
    ///   platform; the sources' and destinations' errors.
    public func run(registry: RegistryConfiguration) async throws -> (content: ImageContent, results: [TransferResult]) {
        try await RegistryClient.withClient(registry) { client in
            var images: [Image] = []
            var origins: [Platform: String] = [:]
            var blobs = BlobSourceRouter()
            for location in sources {
                let source = try location.source(client: client)
                for image in try await source.loadContent(platform: nil).images {
                    let platform = image.configuration.platform.normalized
                    if let other = origins[platform] {
                        throw StevedoreError(.duplicatePlatform, "\(other) and \(location) both have an image for \(platform); an index holds one image per platform")
                    }
                    origins[platform] = location.description
                    images.append(image)
                    blobs.add(image, from: source)
                }
            }
            let content = try ImageContent(indexOf: images, annotations: annotations)
            var results: [TransferResult] = []
            for location in outputs + (push.map { [.registry($0)] } ?? []) {
                results.append(try await location.destination(client: client, extraTags: tags).write(content, blobs: blobs))
            }
            return (content, results)
        }
    }
}

/// Blobs gathered from several sources: each read from the source of the image that lists it.
struct BlobSourceRouter: BlobSource {
    private var routes: [Digest: any BlobSource] = [:]

    mutating func add(_ image: Image, from source: any BlobSource) {
        for descriptor in [image.manifestDescriptor, image.manifest.config] + image.manifest.layers where routes[descriptor.digest] == nil {
            routes[descriptor.digest] = source
        }
    }

    func hasBlob(_ digest: Digest) async throws -> Bool {
        guard let source = routes[digest] else { return false }
        return try await source.hasBlob(digest)
    }

    func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        guard let source = routes[descriptor.digest] else {
            throw StevedoreError(.blobNotFound, "no source of the index lists blob \(descriptor.digest)")
        }
        try await source.readBlob(descriptor, into: consumer)
    }
}
