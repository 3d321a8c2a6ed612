import ArgumentParser
import Foundation
import Logging
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreLayout
import StevedoreTarball

/// `stevedore build`: assemble an image from an executable and files, on scratch or a base image.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a reproducible image of an executable into an OCI layout or a docker-archive.",
        discussion: """
            From scratch (the default) the image is self-contained: the executable at /usr/local/bin/NAME, the \
            shared libraries its ELF dynamic section names, /etc/passwd and /etc/group with the non-root user \
            65532 'nonroot', /etc/nsswitch.conf, /tmp and the host's CA certificates.
            Outputs: oci-layout:DIR[:TAG] and docker-archive:FILE[:NAME[:TAG]] (repeatable).
            """
    )

    @Option(help: ArgumentHelp("The ELF executable to put in the image as its entrypoint.", valueName: "PATH"))
    var executable: String?

    @Option(help: ArgumentHelp("The base image: 'scratch' or an image location such as oci-layout:DIR:TAG.", valueName: "IMAGE"))
    var from: String = "scratch"

    @Option(name: .long, help: ArgumentHelp("Where to write the image (repeatable): oci-layout:DIR[:TAG] or docker-archive:FILE[:NAME[:TAG]].", valueName: "LOCATION"))
    var output: [String] = []

    @Option(help: ArgumentHelp("An extra tag for every OCI layout output (repeatable).", valueName: "TAG"))
    var tag: [String] = []

    @Flag(inversion: .prefixedNo, help: "Add the runtime libraries and system files (default: only from scratch).")
    var selfContained: Bool?

    @Option(name: .customLong("digest-file"), help: ArgumentHelp("Write the manifest digest to this file.", valueName: "FILE"))
    var digestFile: String?

    @Flag(help: "Print only the result.")
    var quiet = false

    @Flag(name: [.customLong("verbose"), .customShort("v")], help: "Log each step.")
    var verbose = false

    @OptionGroup(title: "Image configuration")
    var image: ImageConfigurationOptions

    @OptionGroup(title: "Layers")
    var layers: LayerWritingOptions

    func validate() throws {
        if output.isEmpty {
            throw ValidationError("give at least one --output, e.g. --output oci-layout:image:latest")
        }
        for item in tag where !ImageReference.isValidTag(item) {
            throw ValidationError("--tag '\(item)' must be letters, digits, '_', '.', '-' (at most 128, not starting with '.' or '-')")
        }
    }

    func run() async throws {
        let logger = Logger(label: "stevedore.build")
        let outputs = try output.map(ImageLocation.init(parsing:))
        let settings = try image.settings()
        let creationTime = try layers.creationTime()
        let fromScratch = from == "scratch"

        // Read every input before creating any output, so bad input leaves nothing behind.
        var recipe: ImageRecipe
        if let executable {
            let planner = ExecutableImagePlanner(
                executablePath: executable,
                additions: try image.additions(),
                selfContained: selfContained ?? fromScratch,
                requestedPlatform: try image.requestedPlatform()
            )
            recipe = try planner.plan(settings: settings, creationTime: creationTime)
        } else {
            var tree = FileTree()
            for addition in try image.additions() { try addition.add(to: &tree) }
            let layers: [ImageRecipe.Layer] = tree.count == 0 ? [] : [.init(tree: tree, createdBy: "stevedore: add " + image.add.joined(separator: " "))]
            recipe = ImageRecipe(platform: try image.requestedPlatform() ?? .host, layers: layers, settings: settings, creationTime: creationTime)
        }
        let base = try await loadBase(platform: recipe.platform)

        let store = try workingStore(outputs)
        if let base {
            try await copyBlobs(of: base.image, from: base.source, to: store)
        }
        let builder = ImageBuilder(layerOptions: layers.layerOptions, logger: logger)
        let built = try await builder.build(recipe, base: base.map { ImageBuilder.Base(image: $0.image, name: $0.name) }, into: store)

        var results: [String] = []
        for location in outputs {
            results.append(try await OutputWriter(store: store).write(built, to: location, extraTags: tag))
        }
        if let digestFile {
            do {
                try Data("\(built.manifestDescriptor.digest)\n".utf8).write(to: URL(fileURLWithPath: digestFile), options: .atomic)
            } catch {
                throw OutputError(message: "cannot write --digest-file \(digestFile): \(error.localizedDescription)")
            }
        }
        if !quiet, let first = outputs.first {
            FileHandle.standardError.write(Data("Built \(built.configuration.platform) image \(built.manifestDescriptor.digest) (\(built.manifest.layers.count) layers)\n".utf8))
            if case .layout(let path, let tag) = first {
                FileHandle.standardError.write(Data("Run it: podman run --rm oci:\(path)\(tag.map { ":\($0)" } ?? "")\n".utf8))
            } else if case .dockerArchive(let path, _) = first {
                FileHandle.standardError.write(Data("Run it: podman load -i \(path)\n".utf8))
            }
        }
        for line in results { print(line) }
    }

    /// The base image, read before anything is written.
    private func loadBase(platform: Platform) async throws -> (image: Image, source: any ImageSource, name: String)? {
        guard from != "scratch" else { return nil }
        let location = try ImageLocation(parsing: from)
        let source = try ImageSources.open(location)
        let image = try await source.loadImage(platform: platform)
        return (image, source, location.description)
    }

    /// Where blobs are written: the first OCI layout output, else the user's cache.
    private func workingStore(_ outputs: [ImageLocation]) throws -> BlobStore {
        for case .layout(let path, _) in outputs {
            return try OCILayout(path: path).store
        }
        return try BlobStore(root: CacheDirectory.path)
    }

    private func copyBlobs(of image: Image, from source: any ImageSource, to store: BlobStore) async throws {
        for layer in image.manifest.layers where !store.contains(layer.digest) {
            if let layout = source as? LayoutImageSource {
                try store.link(layer.digest, from: layout.layout.store)
                continue
            }
            let writer = try store.makeBlobWriter()
            do {
                try await source.readBlob(layer) { try writer.write($0) }
                _ = try writer.commit(expected: (layer.digest, layer.size))
            } catch {
                writer.abort()
                throw error
            }
        }
    }
}
