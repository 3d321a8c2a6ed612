import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry

/// `stevedore copy`: move an image between registries, or between a registry and an OCI layout.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image: registry → registry, OCI layout → registry, or registry → OCI layout.",
        discussion: """
            Between repositories of one registry, blobs are mounted, not transferred. From registry to \
            registry the blobs pass through the cache ($STEVEDORE_CACHE_DIR, else ~/.cache/stevedore). \
            --username/--password-stdin apply to the destination registry.
            """
    )

    @Argument(help: ArgumentHelp("oci-layout:DIR[:TAG] or REGISTRY/REPOSITORY[:TAG|@DIGEST].", valueName: "SOURCE"))
    var source: String

    @Argument(help: ArgumentHelp("oci-layout:DIR[:TAG] or REGISTRY/REPOSITORY[:TAG].", valueName: "DESTINATION"))
    var destination: String

    @Option(help: ArgumentHelp("Another tag to set at a registry destination (repeatable).", valueName: "TAG"))
    var tag: [String] = []

    @Option(help: ArgumentHelp("Which image of an index to copy; without it the whole index is copied.", valueName: "OS/ARCH[/VARIANT]"))
    var platform: String?

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func run() async throws {
        let from = try ImageLocation(parsing: source)
        let to = try ImageLocation(parsing: destination)
        let wanted = try platform.map(Platform.init(parsing:))
        switch (from, to) {
        case (.layout(let path, let sourceTag), .registry(let target)):
            let layout = try OCILayout(path: path, create: false)
            let content = try await LayoutContent.load(layout, tag: sourceTag)
            let result = try await withRegistryClient(registry, explicitFor: target.registry) { client in
                try await client.push(content.pushRequest(blobs: layout.store, target: target, additionalTags: tag))
            }
            try registry.report(result.pinnedReference)
        case (.registry(let origin), .layout(let path, let destinationTag)):
            let layout = try OCILayout(path: path)
            let descriptor = try await withRegistryClient(registry, explicitFor: nil) { client in
                try await Self.fetch(origin, platform: wanted, client: client, store: layout.store)
            }
            let tagName = destinationTag ?? origin.tag
            try layout.setTag(tagName, for: descriptor)
            try registry.report("oci-layout:\(path)\(tagName.map { ":\($0)" } ?? "")@\(descriptor.digest)")
        case (.registry(let origin), .registry(let target)):
            let cache = try BlobStore(root: CacheDirectory.path)
            let result = try await withRegistryClient(registry, explicitFor: target.registry) { client in
                let root = try await Self.fetch(origin, platform: wanted, client: client, store: cache)
                let layoutSource = StoreImageSource(store: cache, root: root, name: origin.description)
                let images: [Image]
                var indexData: Data?
                if root.mediaType.isIndex {
                    let data = try await layoutSource.verifiedData(root)
                    let index = try CanonicalJSON.decode(ImageIndex.self, from: data, what: "index \(root.digest)")
                    var loaded: [Image] = []
                    for child in index.manifests where child.mediaType.isManifest {
                        loaded.append(try await StoreImageSource(store: cache, root: child, name: origin.description).loadImage(platform: nil))
                    }
                    images = loaded
                    indexData = data
                } else {
                    images = [try await layoutSource.loadImage(platform: nil)]
                }
                var mounts: [Digest: ImageReference] = [:]
                if origin.apiHost == target.apiHost, origin.repository != target.repository {
                    for image in images {
                        for layer in [image.manifest.config] + image.manifest.layers { mounts[layer.digest] = origin }
                    }
                }
                var destination = target
                if destination.tag == nil, destination.digest == nil { destination.tag = origin.tag }
                let request = indexData.map {
                    PushRequest(images: images, indexData: $0, blobs: cache, target: destination, additionalTags: tag, mountSources: mounts)
                } ?? PushRequest(image: images[0], blobs: cache, target: destination, additionalTags: tag, mountSources: mounts)
                return try await client.push(request)
            }
            try registry.report(result.pinnedReference)
        default:
            throw ValidationError("copy needs a registry on at least one side: registry → registry, oci-layout → registry or registry → oci-layout")
        }
    }

    /// Pulls one platform (`platform` given) or everything into `store`; returns the root descriptor.
    static func fetch(_ reference: ImageReference, platform: Platform?, client: RegistryClient, store: BlobStore) async throws -> Descriptor {
        if let platform {
            var descriptor = try await client.pull(reference, platform: platform, into: store).manifestDescriptor
            descriptor.platform = nil
            return descriptor
        }
        return try await client.pullAll(reference, into: store)
    }
}

/// A manifest or index in a blob store, readable as an ``ImageSource``.
struct StoreImageSource: ImageSource {
    var store: BlobStore
    var root: Descriptor
    var name: String

    var sourceDescription: String { name }
    func resolveRoot() async throws -> Descriptor { root }
    func hasBlob(_ digest: Digest) async throws -> Bool { try await store.hasBlob(digest) }
    func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        try await store.readBlob(descriptor, into: consumer)
    }
}
