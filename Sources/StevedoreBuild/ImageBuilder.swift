import Foundation
import Logging
import StevedoreArchive
import StevedoreCore

/// Writes an ``ImageRecipe`` on top of an optional base image into a blob sink and returns the image.
///
/// The configuration starts from the base's (environment, entrypoint, command, working directory, user,
/// labels, history are inherited) and the recipe's settings override it; setting an entrypoint drops an
/// inherited command, as Docker does. Base layers are referenced, not copied: they keep their digests,
/// and Docker layer media types become their OCI equivalents.
public struct ImageBuilder: Sendable {
    public var layerOptions: LayerOptions
    public var logger: Logger

    public init(layerOptions: LayerOptions, logger: Logger = Logger(label: "stevedore.build")) {
        self.layerOptions = layerOptions
        self.logger = logger
    }

    /// A base image and the name it was pulled by, recorded in the manifest's annotations.
    public struct Base: Sendable {
        public var image: Image
        public var name: String?

        public init(image: Image, name: String?) { (self.image, self.name) = (image, name) }
    }

    /// Writes the recipe's layers, configuration and manifest into `sink`.
    ///
    /// - Throws: ``StevedoreError`` `platformMismatch` when the base is for another platform, `invalidBaseImage`
    ///   when it is malformed (see ``validate(_:for:)``), or the archive's and sink's errors; blobs already
    ///   written stay (they are complete and content-addressed), nothing else does.
    public func build(_ recipe: ImageRecipe, base: Base?, into sink: any BlobSink) async throws -> Image {
        if let base { try Self.validate(base, for: recipe.platform) }
        try recipe.settings.validate()
        let writer = LayerWriter(options: layerOptions(for: recipe))
        var layers: [WrittenLayer] = []
        for layer in recipe.layers {
            let started = ContinuousClock.now
            let written = try await writer.write(layer.tree, to: sink)
            logger.info("wrote layer", metadata: [
                "stevedore.layer": "\(written.descriptor.digest)",
                "stevedore.size": "\(written.descriptor.size)",
                "stevedore.entries": "\(layer.tree.count)",
                "stevedore.elapsed": "\(ContinuousClock.now - started)",
            ])
            layers.append(written)
        }
        return try assemble(recipe, base: base, layers: layers, into: sink)
    }

    /// The options the recipe's layers are written with: ``layerOptions`` at the recipe's time.
    public func layerOptions(for recipe: ImageRecipe) -> LayerOptions {
        var options = layerOptions
        options.modificationTime = recipe.creationTime
        return options
    }

    /// Writes the configuration and manifest of `recipe` on `base` into `sink`, with the recipe's layers
    /// already made (one per recipe layer, in order, e.g. by a layer cache).
    ///
    /// - Throws: ``StevedoreError`` as ``build(_:base:into:)``, and `invalidOptions` when `layers` does not
    ///   match the recipe's layers.
    public func assemble(_ recipe: ImageRecipe, base: Base?, layers: [WrittenLayer], into sink: any BlobSink) throws -> Image {
        if let base { try Self.validate(base, for: recipe.platform) }
        try recipe.settings.validate()
        guard layers.count == recipe.layers.count else {
            throw StevedoreError(.invalidOptions, "\(layers.count) layers were made for a recipe of \(recipe.layers.count)")
        }
        let made = zip(layers, recipe.layers.map(\.createdBy)).map { ($0, $1) }
        let configuration = makeConfiguration(recipe, base: base?.image.configuration, layers: made)
        var manifestLayers = (base?.image.manifest.layers ?? []).map(Self.ociLayer)
        manifestLayers += layers.map(\.descriptor)
        var annotations = recipe.settings.annotations
        if let base {
            if let name = base.name { annotations[AnnotationKey.baseName] = name }
            annotations[AnnotationKey.baseDigest] = base.image.manifestDescriptor.digest.description
        }
        var image = try Image(configuration: configuration, layers: manifestLayers, manifestAnnotations: annotations.isEmpty ? nil : annotations)
        image.blobOrigins = (base?.image.blobOrigins ?? [:]).filter { $0.key != base?.image.manifest.config.digest }
        try write(image.configurationData, expected: image.manifest.config, to: sink)
        try write(image.manifestData, expected: image.manifestDescriptor, to: sink)
        return image
    }

    private func makeConfiguration(_ recipe: ImageRecipe, base: ImageConfiguration?, layers: [(WrittenLayer, String)]) -> ImageConfiguration {
        let created = Self.timestamp(recipe.creationTime)
        var configuration = ImageConfiguration(platform: recipe.platform)
        var container = base?.config ?? ImageConfiguration.ContainerConfiguration()
        configuration.rootfs = ImageConfiguration.RootFS(diffIDs: (base?.rootfs.diffIDs ?? []) + layers.map { $0.0.diffID })
        var history = base?.history ?? []
        history += layers.map { ImageConfiguration.History(created: created, createdBy: $0.1) }
        configuration.history = history
        configuration.created = created

        let settings = recipe.settings
        var environment = container.env ?? []
        if base == nil { environment = recipe.defaultEnvironment.map(\.description) }
        for variable in settings.environment {
            environment.removeAll { $0 == variable.name || $0.hasPrefix("\(variable.name)=") }
            environment.append(variable.description)
        }
        container.env = environment.isEmpty ? nil : environment
        if let entrypoint = settings.entrypoint {
            if entrypoint != container.entrypoint, settings.cmd == nil { container.cmd = nil }
            container.entrypoint = entrypoint
        }
        if let cmd = settings.cmd { container.cmd = cmd }
        if let directory = settings.workingDirectory { container.workingDir = directory }
        if let user = settings.user ?? (base == nil ? recipe.defaultUser : nil) { container.user = user }
        if !settings.exposedPorts.isEmpty {
            var ports = container.exposedPorts ?? [:]
            for port in settings.exposedPorts { ports[port.description] = EmptyObject() }
            container.exposedPorts = ports
        }
        if !settings.volumes.isEmpty {
            var volumes = container.volumes ?? [:]
            for volume in settings.volumes { volumes[volume] = EmptyObject() }
            container.volumes = volumes
        }
        if !settings.labels.isEmpty {
            container.labels = (container.labels ?? [:]).merging(settings.labels) { _, new in new }
        }
        if let signal = settings.stopSignal { container.stopSignal = signal }
        configuration.config = container
        return configuration
    }

    private func write(_ data: Data, expected: Descriptor, to sink: any BlobSink) throws {
        let writer = try sink.makeBlobWriter()
        do {
            try data.withUnsafeBytes { try writer.write($0) }
            _ = try writer.commit(expected: (expected.digest, expected.size))
        } catch {
            writer.abort()
            throw error
        }
    }

    /// A base layer with its Docker media type replaced by the OCI one for the same bytes.
    static func ociLayer(_ descriptor: Descriptor) -> Descriptor {
        var copy = descriptor
        if descriptor.mediaType == .dockerLayerGzip { copy.mediaType = .ociLayerGzip }
        if descriptor.mediaType == .dockerForeignLayerGzip { copy.mediaType = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip" }
        return copy
    }

    /// RFC 3339 in UTC, e.g. `1970-01-01T00:00:00Z`, independent of the locale and time zone.
    public static func timestamp(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }
}
