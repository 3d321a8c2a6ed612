import Foundation
import Logging
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry

/// What `stevedore build` (and the plugins) ask for: the inputs of one image and where it goes.
public struct BuildRequest: Sendable {
    /// The ELF executable, the entrypoint; `nil` builds an image of ``additions`` only.
    public var executable: String?
    /// Host files and directories copied into the image (`--add`).
    public var additions: [Addition] = []
    /// Whether to add the runtime libraries and system files; `nil` means only from scratch.
    public var selfContained: Bool?
    /// The platform asked for; it must match the executable's.
    public var platform: Platform?
    /// The configuration: environment, entrypoint, labels, ports…
    public var settings = ImageSettings()
    /// SOURCE_DATE_EPOCH: every time stamp.
    public var creationTime: Int64 = 0
    /// Compression level and threads.
    public var layerOptions = LayerOptions()
    /// The base image; `nil` is scratch.
    public var base: ImageLocation?
    /// Where to write the image: OCI layouts and docker-archives.
    public var outputs: [ImageLocation] = []
    /// Where to push it, if anywhere.
    public var push: ImageReference?
    /// More tags for every layout output and the push.
    public var tags: [ImageTag] = []

    /// A request for an image of `executable` (or of ``additions`` only, when `nil`) from scratch, written nowhere
    /// yet; set the other properties as needed.
    public init(executable: String?) {
        self.executable = executable
    }
}

/// What a build made: the image and, for each output and the push, where it now is.
public struct BuiltImage: Sendable {
    /// The image.
    public var image: Image
    /// One result per output, in order, then the push's.
    public var results: [TransferResult]
}

/// The build job: plan the layers, build on the base, write every output, push. Called by `stevedore build`,
/// `stevedore package-image` (the plugins) and the tests alike.
public struct ImageBuild: Sendable {
    /// How registries are reached, for a registry base or a push.
    public var registry: RegistryConfiguration
    public var logger: Logger

    public init(registry: RegistryConfiguration, logger: Logger = Logger(label: "stevedore.build")) {
        self.registry = registry
        self.logger = logger
    }

    /// Runs the build. Every input is read before any output is created, so bad input leaves nothing behind.
    public func run(_ request: BuildRequest) async throws -> BuiltImage {
        var needsRegistry = request.push != nil
        if case .registry? = request.base { needsRegistry = true }
        guard needsRegistry else { return try await run(request, client: nil) }
        return try await RegistryClient.withClient(registry) { try await run(request, client: $0) }
    }

    private func run(_ request: BuildRequest, client: RegistryClient?) async throws -> BuiltImage {
        let recipe = try makeRecipe(request)
        var base: (image: Image, source: any ImageSource, name: String)?
        if let location = request.base {
            let source = try location.source(client: client)
            base = (try await source.loadImage(platform: recipe.platform), source, location.description)
        }
        // Before any layer is downloaded: a malformed base fails now, not after the copy.
        if let base { try ImageBuilder.validate(ImageBuilder.Base(image: base.image, name: base.name), for: recipe.platform) }

        let store = try workingStore(request.outputs)
        if let base, !canMountBase(request) {
            try await copyLayers(of: base.image, from: base.source, to: store)
        }
        let builder = ImageBuilder(layerOptions: request.layerOptions, logger: logger)
        let built = try await builder.build(recipe, base: base.map { ImageBuilder.Base(image: $0.image, name: $0.name) }, into: store)

        var results: [TransferResult] = []
        for location in request.outputs + (request.push.map { [.registry($0)] } ?? []) {
            results.append(try await location.destination(client: client, extraTags: request.tags).write(ImageContent(image: built), blobs: store))
        }
        return BuiltImage(image: built, results: results)
    }

    private func makeRecipe(_ request: BuildRequest) throws -> ImageRecipe {
        try request.settings.validate()
        if let executable = request.executable {
            let planner = ExecutableImagePlanner(
                executablePath: executable,
                additions: request.additions,
                selfContained: request.selfContained ?? (request.base == nil),
                requestedPlatform: request.platform, logger: logger
            )
            return try planner.plan(settings: request.settings, creationTime: request.creationTime)
        }
        var tree = FileTree()
        for addition in request.additions { try addition.add(to: &tree) }
        let createdBy = "stevedore: add " + request.additions.map(\.description).joined(separator: " ")
        let layers: [ImageRecipe.Layer] = tree.count == 0 ? [] : [.init(tree: tree, createdBy: createdBy)]
        return ImageRecipe(platform: request.platform ?? .host, layers: layers, settings: request.settings, creationTime: request.creationTime)
    }

    /// Base layers need no download when nothing is written locally and the push goes to the base's registry:
    /// they are mounted there.
    private func canMountBase(_ request: BuildRequest) -> Bool {
        guard request.outputs.isEmpty, let target = request.push, case .registry(let base)? = request.base else { return false }
        return base.apiHost == target.apiHost
    }

    /// Where blobs are written: the first OCI layout output, else the user's cache.
    private func workingStore(_ outputs: [ImageLocation]) throws -> BlobStore {
        for case .layout(let path, _) in outputs {
            do {
                return try OCILayout(path: path).store
            } catch let error as StevedoreError where error.code == .io {
                throw StevedoreError(.unusableLocation, "cannot create the OCI layout \(path): \(error.message)", cause: error)
            }
        }
        return try BlobStore(root: CacheDirectory.path(environment: registry.environment))
    }

    /// Puts the base's layers into `store`: linked from a layout, downloaded (verified) from a registry into
    /// the cache first, so that later builds on the same base download nothing.
    private func copyLayers(of image: Image, from source: any ImageSource, to store: BlobStore) async throws {
        if let layout = source as? LayoutImageSource {
            for layer in image.manifest.layers { try store.link(layer.digest, from: layout.layout.store) }
            return
        }
        let cache = try BlobStore(root: CacheDirectory.path(environment: registry.environment))
        for layer in image.manifest.layers where !store.contains(layer.digest) {
            try await cache.copy(layer, from: source)
            if cache.root != store.root { try store.link(layer.digest, from: cache) }
        }
    }
}
