import ArgumentParser
import Foundation
import Logging
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry
import StevedoreTarball

/// `stevedore build`: assemble an image from an executable and files, on scratch or a base image.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a reproducible image of an executable into an OCI layout, a docker-archive or a registry.",
        discussion: """
            From scratch (the default) the image is self-contained: the executable at /usr/local/bin/NAME, the \
            shared libraries its ELF dynamic section names, /etc/passwd and /etc/group with the non-root user \
            65532 'nonroot', /etc/nsswitch.conf, /tmp and the host's CA certificates.
            Outputs: oci-layout:DIR[:TAG] and docker-archive:FILE[:NAME[:TAG]] (repeatable), and --push REFERENCE.
            """
    )

    @Option(help: ArgumentHelp("The ELF executable to put in the image as its entrypoint.", valueName: "PATH"))
    var executable: String?

    @Option(help: ArgumentHelp("The base image: 'scratch', oci-layout:DIR:TAG or a registry reference.", valueName: "IMAGE"))
    var from: String = "scratch"

    @Option(name: .long, help: ArgumentHelp("Where to write the image (repeatable): oci-layout:DIR[:TAG] or docker-archive:FILE[:NAME[:TAG]].", valueName: "LOCATION"))
    var output: [String] = []

    @Option(help: ArgumentHelp("Also push the image to this registry reference (with the --tag tags too).", valueName: "REFERENCE"))
    var push: String?

    @Option(help: ArgumentHelp("An extra tag for every OCI layout output and the push (repeatable).", valueName: "TAG"))
    var tag: [String] = []

    @Flag(inversion: .prefixedNo, help: "Add the runtime libraries and system files (default: only from scratch).")
    var selfContained: Bool?

    @OptionGroup(title: "Image configuration")
    var image: ImageConfigurationOptions

    @OptionGroup(title: "Layers")
    var layers: LayerWritingOptions

    @OptionGroup(title: "Registry (for --from REFERENCE and --push)")
    var registry: RegistryOptions

    func validate() throws {
        if output.isEmpty, push == nil {
            throw ValidationError("give at least one --output (e.g. --output oci-layout:image:latest) or --push REFERENCE")
        }
        for item in tag where !ImageReference.isValidTag(item) {
            throw ValidationError("--tag '\(item)' must be letters, digits, '_', '.', '-' (at most 128, not starting with '.' or '-')")
        }
    }

    func run() async throws {
        let outputs = try output.map(ImageLocation.init(parsing:))
        let pushTarget = try push.map(RegistryReferences.parse)
        let baseLocation = from == "scratch" ? nil : try ImageLocation(parsing: from)
        var baseIsRemote = false
        if case .registry = baseLocation { baseIsRemote = true }
        guard pushTarget != nil || baseIsRemote else {
            return try await build(outputs: outputs, baseLocation: baseLocation, pushTarget: nil, client: nil)
        }
        try await withRegistryClient(registry, explicitFor: pushTarget?.registry) { client in
            try await build(outputs: outputs, baseLocation: baseLocation, pushTarget: pushTarget, client: client)
        }
    }

    private func build(outputs: [ImageLocation], baseLocation: ImageLocation?, pushTarget: ImageReference?, client: RegistryClient?) async throws {
        // Read every input before creating any output, so that bad input leaves nothing behind.
        let recipe = try makeRecipe(fromScratch: baseLocation == nil)
        var base: (image: Image, source: any ImageSource, name: String)?
        if let baseLocation {
            let source = try ImageSources.open(baseLocation, client: client)
            base = (try await source.loadImage(platform: recipe.platform), source, baseLocation.description)
        }

        let store = try workingStore(outputs)
        if let base, !canMountBase(outputs: outputs, baseLocation: baseLocation, pushTarget: pushTarget) {
            try await copyBlobs(of: base.image, from: base.source, to: store)
        }
        let builder = ImageBuilder(layerOptions: layers.layerOptions, logger: Logger(label: "stevedore.build"))
        let built = try await builder.build(recipe, base: base.map { ImageBuilder.Base(image: $0.image, name: $0.name) }, into: store)

        var results: [String] = []
        for location in outputs {
            results.append(try await OutputWriter(store: store).write(built, to: location, extraTags: tag))
        }
        if !registry.quiet { printRunHint(built, outputs: outputs) }
        if let pushTarget, let client {
            var request = PushRequest(image: built, blobs: store, target: pushTarget, additionalTags: tag)
            request.mountSources = await client.mountSources(for: built, target: pushTarget)
            results.append(try await client.push(request).pinnedReference)
        }
        for line in results.dropLast() { print(line) }
        if let last = results.last { try registry.report(last) }
    }

    private func makeRecipe(fromScratch: Bool) throws -> ImageRecipe {
        let settings = try image.settings()
        let creationTime = try layers.creationTime()
        if let executable {
            let planner = ExecutableImagePlanner(
                executablePath: executable,
                additions: try image.additions(),
                selfContained: selfContained ?? fromScratch,
                requestedPlatform: try image.requestedPlatform()
            )
            return try planner.plan(settings: settings, creationTime: creationTime)
        }
        var tree = FileTree()
        for addition in try image.additions() { try addition.add(to: &tree) }
        let layers: [ImageRecipe.Layer] = tree.count == 0 ? [] : [.init(tree: tree, createdBy: "stevedore: add " + image.add.joined(separator: " "))]
        return ImageRecipe(platform: try image.requestedPlatform() ?? .host, layers: layers, settings: settings, creationTime: creationTime)
    }

    /// Base layers need no download when nothing is written locally and the push goes to the base's registry.
    private func canMountBase(outputs: [ImageLocation], baseLocation: ImageLocation?, pushTarget: ImageReference?) -> Bool {
        guard outputs.isEmpty, let pushTarget, case .registry(let base)? = baseLocation else { return false }
        return base.apiHost == pushTarget.apiHost
    }

    private func printRunHint(_ built: Image, outputs: [ImageLocation]) {
        var lines = "Built \(built.configuration.platform) image \(built.manifestDescriptor.digest) (\(built.manifest.layers.count) layers)\n"
        switch outputs.first {
        case .layout(let path, let tag)?: lines += "Run it: podman run --rm oci:\(path)\(tag.map { ":\($0)" } ?? "")\n"
        case .dockerArchive(let path, _)?: lines += "Run it: podman load -i \(path)\n"
        default: break
        }
        FileHandle.standardError.write(Data(lines.utf8))
    }

    /// Where blobs are written: the first OCI layout output, else the user's cache.
    private func workingStore(_ outputs: [ImageLocation]) throws -> BlobStore {
        for case .layout(let path, _) in outputs {
            do {
                return try OCILayout(path: path).store
            } catch let error as LayoutError where error.code == .io {
                throw StevedoreError(.unusableLocation, "cannot create the OCI layout \(path): \(error.message)", cause: error)
            }
        }
        return try BlobStore(root: CacheDirectory.path)
    }

    /// Puts the base's layers into `store`: linked from a layout, downloaded (verified) from a registry.
    private func copyBlobs(of image: Image, from source: any ImageSource, to store: BlobStore) async throws {
        let cache = try BlobStore(root: CacheDirectory.path)
        for layer in image.manifest.layers where !store.contains(layer.digest) {
            if let layout = source as? LayoutImageSource {
                try store.link(layer.digest, from: layout.layout.store)
                continue
            }
            if !cache.contains(layer.digest) {
                let writer = try cache.makeBlobWriter()
                do {
                    try await source.readBlob(layer) { try writer.write($0) }
                    _ = try writer.commit(expected: (layer.digest, layer.size))
                } catch {
                    writer.abort()
                    throw error
                }
            }
            if cache.root != store.root { try store.link(layer.digest, from: cache) }
        }
    }
}
