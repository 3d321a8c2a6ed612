import Foundation
import Logging
import StevedoreArchive
import StevedoreBuild
import StevedoreCache
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry
import StevedoreSBOM

/// What `stevedore build` (and the plugins) ask for: the inputs of one image — or of one image per platform
/// and an index over them — and where it goes.
public struct BuildRequest: Sendable {
    /// The ELF executables, the entrypoint: one image each, for its platform (two for one platform are an
    /// error); several make a multi-platform image (an OCI index). Empty builds an image of ``additions`` only.
    public var executables: [BuildExecutable] = []
    /// Host files and directories copied into every image (`--add`).
    public var additions: [Addition] = []
    /// Whether to add the runtime libraries and system files; `nil` means only from scratch.
    public var selfContained: Bool?
    /// The platform asked for (one executable, or none); it must match the executable's.
    public var platform: Platform?
    /// Where a platform's shared libraries are found, instead of the host's directories (`--sysroot`).
    public var libraryRoots: [LibraryRoot] = []
    /// The configuration: environment, entrypoint, labels, ports…
    public var settings = ImageSettings()
    /// SOURCE_DATE_EPOCH: every time stamp.
    public var creationTime: Int64 = 0
    /// Compression and threads.
    public var layerOptions = LayerOptions()
    /// Whether layers are looked up in, and recorded to, the layer cache in ``CacheDirectory`` (`--no-cache`
    /// turns it off: every layer is compressed).
    public var usesLayerCache = true
    /// The base image; `nil` is scratch.
    public var base: ImageLocation?
    /// Where to write the image: OCI layouts and docker-archives.
    public var outputs: [ImageLocation] = []
    /// Where to push it, if anywhere.
    public var push: ImageReference?
    /// More tags for every layout output and the push.
    public var tags: [ImageTag] = []
    /// Whether to make an SBOM, in which format, from which `Package.resolved`, written where too.
    public var sbom = SBOMRequest()

    /// A request for an image of `executable` (or of ``additions`` only, when `nil`) from scratch, written nowhere
    /// yet; set the other properties as needed.
    public init(executable: String?) {
        self.executable = executable
    }

    /// The only executable (or the first of several); setting it replaces them all.
    public var executable: String? {
        get { executables.first?.path }
        set { executables = newValue.map { [BuildExecutable(path: $0)] } ?? [] }
    }
}

/// What a build made: the image (or the index and its images) and, for each output and the push, where it
/// now is.
public struct BuiltImage: Sendable {
    /// The image, or the index over one image per platform.
    public var content: ImageContent
    /// One result per output, in order, then the push's.
    public var results: [TransferResult]
    /// How long each phase took (layer planning, layers, write, push), for `--verbose`.
    public var timings: [PhaseTiming] = []
    /// The image's SBOM, when the request asked for one (``SBOMRequest/format(pushing:)``); it describes the
    /// root: the image, or the index and each platform's image. It is attached to the image in every OCI layout
    /// output and in the registry pushed to, as an OCI referrer.
    public var sbom: GeneratedSBOM?

    /// The digest of the root: the image's manifest, or the index.
    public var digest: Digest { content.rootDescriptor.digest }
}

/// The build job: plan the layers, build on the base, write every output, push. Called by `stevedore build`,
/// `stevedore package-image` (the plugins) and the tests alike.
public struct ImageBuild: Sendable {
    /// How registries are reached, for a registry base or a push.
    public var registry: RegistryConfiguration
    /// Told about each layer as it is written or found in the cache.
    public var layerProgress: any LayerProgress
    public var logger: Logger

    public init(registry: RegistryConfiguration, layerProgress: any LayerProgress = SilentLayerProgress(), logger: Logger = Logger(label: "stevedore.build")) {
        self.registry = registry
        self.layerProgress = layerProgress
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
        let clock = ContinuousClock()
        var phaseStart = clock.now
        var timings: [PhaseTiming] = []
        let recipes = try makeRecipes(request)
        let swiftPackages = try swiftPackagesForSBOM(request)
        if recipes.count > 1, let archive = request.outputs.first(where: { if case .dockerArchive = $0 { true } else { false } }) {
            throw StevedoreError(.unusableLocation, "\(archive) cannot hold a multi-platform image (\(recipes.map(\.platform.description).joined(separator: ", "))): a docker-archive has one platform and no index; write an OCI layout or push it")
        }
        var bases: [(image: Image, source: any ImageSource, name: String)?] = Array(repeating: nil, count: recipes.count)
        if let location = request.base {
            let source = try location.source(client: client)
            for (index, recipe) in recipes.enumerated() {
                let image = try await source.loadImage(platform: recipe.platform)
                // Before any layer is downloaded: a malformed base fails now, not after the copy.
                try ImageBuilder.validate(ImageBuilder.Base(image: image, name: location.description), for: recipe.platform)
                bases[index] = (image, source, location.description)
            }
        }

        timings.append(PhaseTiming(.layerPlanning, duration: clock.now - phaseStart, detail: "\(recipes.count) image\(recipes.count == 1 ? "" : "s")"))

        phaseStart = clock.now
        let store = try workingStore(request.outputs)
        if !canMountBase(request) {
            for case let base? in bases { try await copyLayers(of: base.image, from: base.source, to: store) }
        }
        let builder = ImageBuilder(layerOptions: request.layerOptions, logger: logger)
        var images: [Image] = []
        var outcomes: [LayerOutcome] = []
        var assembling = Duration.zero
        for (recipe, base) in zip(recipes, bases) {
            let made = try await makeLayers(recipe, options: builder.layerOptions(for: recipe), request: request, store: store, client: client, namedByPlatform: recipes.count > 1)
            outcomes += made.map(\.outcome)
            let assembled = try await PhaseTiming.measure {
                try builder.assemble(recipe, base: base.map { ImageBuilder.Base(image: $0.image, name: $0.name) }, layers: made.map(\.layer), into: store)
            }
            images.append(assembled.value)
            assembling += assembled.duration
        }
        timings.append(PhaseTiming(.layers, duration: clock.now - phaseStart - assembling, detail: PhaseTiming.layerDetail(outcomes)))

        phaseStart = clock.now
        let content = images.count == 1 ? ImageContent(image: images[0]) : try ImageContent(indexOf: images, annotations: request.settings.annotations)
        if let indexData = content.indexData { try store.write(indexData) }
        let sbom = try await makeSBOM(request, recipes: recipes, content: content, bases: bases.map { $0.map { ($0.image, $0.name) } }, swiftPackages: swiftPackages)
        // The SBOM is attached to the image where it is written: in each layout, and in the registry pushed to.
        let attachment = sbom.map { ReferrerArtifact(blob: $0.bytes, mediaType: $0.mediaType, sourceDateEpoch: request.creationTime) }

        var results: [TransferResult] = []
        for location in request.outputs {
            results.append(try await location.destination(client: client, extraTags: request.tags).write(content, blobs: store))
            if let attachment, case .layout = location { try await location.attach(attachment, subject: content.rootDescriptor, client: nil) }
        }
        timings.append(PhaseTiming(.write, duration: clock.now - phaseStart + assembling, detail: request.outputs.isEmpty ? nil : request.outputs.map(\.description).joined(separator: ", ")))
        if let push = request.push {
            phaseStart = clock.now
            let location = ImageLocation.registry(push)
            results.append(try await location.destination(client: client, extraTags: request.tags).write(content, blobs: store))
            if let attachment { try await location.attach(attachment, subject: content.rootDescriptor, client: client) }
            timings.append(PhaseTiming(.push, duration: clock.now - phaseStart, detail: push.description))
        }
        if let sbom, let file = request.sbom.outputFile { try sbom.write(to: file) }
        return BuiltImage(content: content, results: results, timings: timings, sbom: sbom)
    }

    /// The recipe's layers, through the layer cache unless the request turns it off. Without a local output, a
    /// layer the push target already has needs no local blob.
    private func makeLayers(
        _ recipe: ImageRecipe, options: LayerOptions, request: BuildRequest, store: BlobStore, client: RegistryClient?, namedByPlatform: Bool
    ) async throws -> [(layer: WrittenLayer, outcome: LayerOutcome)] {
        let cache = request.usesLayerCache ? try LayerCache(root: CacheDirectory.path(environment: registry.environment)) : nil
        var writer = CachedLayerWriter(writer: LayerWriter(options: options), cache: cache, progress: layerProgress)
        if request.outputs.isEmpty, let push = request.push, let client {
            let target = RegistryImageSource(client: client, reference: push)
            writer.remoteHasBlob = { digest in (try? await target.hasBlob(digest)) ?? false }
        }
        let prefix = namedByPlatform ? "\(recipe.platform) " : ""
        let made = try await writer.write(recipe.layers.map { .init(tree: $0.tree, name: prefix + $0.createdBy) }, into: store)
        for (layer, outcome) in made {
            logger.info("layer", metadata: ["stevedore.layer": "\(layer.descriptor.digest)", "stevedore.outcome": "\(outcome)"])
        }
        return made
    }

    /// One recipe per executable (each for its platform), or one of the additions only.
    private func makeRecipes(_ request: BuildRequest) throws -> [ImageRecipe] {
        try request.settings.validate()
        guard !request.executables.isEmpty else {
            var tree = FileTree()
            for addition in request.additions { try addition.add(to: &tree) }
            let createdBy = "stevedore: add " + request.additions.map(\.description).joined(separator: " ")
            let layers: [ImageRecipe.Layer] = tree.count == 0 ? [] : [.init(tree: tree, createdBy: createdBy)]
            return [ImageRecipe(platform: request.platform ?? .host, layers: layers, settings: request.settings, creationTime: request.creationTime)]
        }
        if request.executables.count > 1, let platform = request.platform {
            throw StevedoreError(.platformMismatch, "--platform \(platform) cannot apply to \(request.executables.count) executables; state each one's platform as OS/ARCH=PATH")
        }
        var recipes: [ImageRecipe] = []
        for executable in request.executables {
            let stated = executable.platform ?? request.platform
            var planner = ExecutableImagePlanner(
                executablePath: executable.path,
                additions: request.additions,
                selfContained: request.selfContained ?? (request.base == nil),
                requestedPlatform: stated, logger: logger
            )
            let platform = try planner.executablePlatform()
            planner.libraryRoot = LibraryRoot.root(for: platform, in: request.libraryRoots) ?? "/"
            let recipe = try planner.plan(settings: request.settings, creationTime: request.creationTime)
            if let other = recipes.first(where: { $0.platform.normalized == recipe.platform.normalized }) {
                let first = request.executables[recipes.firstIndex { $0.platform == other.platform } ?? 0].path
                throw StevedoreError(.duplicatePlatform, "'\(first)' and '\(executable.path)' are both for \(recipe.platform); give one executable per platform")
            }
            recipes.append(recipe)
        }
        return recipes
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
