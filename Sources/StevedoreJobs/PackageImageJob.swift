import Foundation
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreDeploy
import StevedorePublish
import StevedoreRegistry
import StevedoreSBOM

/// The job behind the `build-image` and `push-image` plugins (`stevedore package-image`): a built executable
/// product of a Swift package becomes an image, labelled and timestamped from git and GitHub Actions, written
/// to the package's layout, and optionally pushed, reported to GitHub Actions and deployed with Kamal.
public struct PackageImageJob: Sendable {
    /// The package, product, resource bundles and outputs.
    public var package: PackageImageRequest
    /// The built executables (one per platform: several make an index) and the user's image options
    /// (configuration, additions, base, platform, compression). The job sets the outputs, push target, labels
    /// and SOURCE_DATE_EPOCH.
    public var image: BuildRequest
    /// Repository, tags, SOURCE_DATE_EPOCH and default branch as the user gave them.
    public var publish: PublishOptions
    /// Whether to push after building.
    public var push: Bool
    /// Whether to deploy with Kamal after pushing.
    public var deploy: Bool
    /// Where to write `REF:TAG@sha256:…` after a push; `nil` for `.build/stevedore/pushed-image`.
    public var pushedImageFile: String?
    /// How registries are reached.
    public var registry: RegistryConfiguration
    /// The process environment (GitHub Actions variables, SOURCE_DATE_EPOCH).
    public var environment: [String: String]
    /// Told about each layer as it is written or found in the cache.
    public var layerProgress: any LayerProgress = SilentLayerProgress()
    /// Whether to report one ``PhaseTiming`` line per phase (provenance, layer planning, layers, write, push)
    /// once the image is built: `--verbose`.
    public var reportsTimings = false

    public init(
        package: PackageImageRequest, image: BuildRequest, publish: PublishOptions, push: Bool, deploy: Bool,
        pushedImageFile: String?, registry: RegistryConfiguration, environment: [String: String]
    ) {
        self.package = package
        self.image = image
        self.publish = publish
        self.push = push
        self.deploy = deploy
        self.pushedImageFile = pushedImageFile
        self.registry = registry
        self.environment = environment
    }

    /// Runs the job; `report` receives each line for the user (results, run instructions, warnings go to
    /// standard error by the caller's choice).
    ///
    /// - Returns: Kamal's exit status when deploying, else 0.
    public func run(report: (String) -> Void, warn: (String) -> Void) async throws -> Int32 {
        let clock = ContinuousClock()
        let start = clock.now
        let defaults = try PublishDefaults.load(packageDirectory: package.packageDirectory, environment: environment)
        let provenance = try defaults.provenance(publish)
        for warning in provenance.warnings { warn(warning) }
        let destination = push ? try defaults.destination(publish, platform: publish.platformTag ? try platformForTag() : nil) : nil

        let serviceLabels = try KamalConfiguration.serviceLabels(packageDirectory: package.packageDirectory, environment: environment)
        let request = try buildRequest(provenance: provenance, serviceLabels: serviceLabels, destination: destination)

        // The push target is known only now: environment credentials (and an explicit one) are for it.
        var registry = self.registry
        if let target = request.push {
            if registry.credentials.environmentRegistry == nil { registry.credentials.environmentRegistry = target.registry }
            if let explicit = registry.credentials.explicit, explicit.registry == nil { registry.credentials.explicit = (target.registry, explicit.credential) }
        }
        let provenanceTime = clock.now - start
        let built = try await ImageBuild(registry: registry, layerProgress: layerProgress).run(request)
        if reportsTimings {
            for timing in [PhaseTiming(.provenance, duration: provenanceTime)] + built.timings { report(timing.description) }
        }
        let outputResults = built.results.prefix(request.outputs.count)
        for result in outputResults { report(result.pinnedReference) }
        let port = image.settings.exposedPorts.first.map { String($0.port) }
        report(PackageImageRequest.runInstructions(outputs: request.outputs, digest: built.digest, port: port))

        guard let destination, let pushed = built.results.last, built.results.count > request.outputs.count else { return 0 }
        report(pushed.pinnedReference)
        let published = PublishedImage(
            repository: destination.repository, digest: pushed.digest, tags: destination.tags, isDirty: provenance.isDirty, indexTags: destination.indexTags,
            sbomFile: built.sbom == nil ? nil : request.sbom.outputFile
        )
        try GitHubActionsOutput.writePinnedReference(published, to: pushedImageFile ?? package.pushedImageFile)
        try GitHubActionsOutput(environment: environment).write(published)
        report("Pushed \(destination.repository) tags \(destination.tags.joined(separator: ", "))")
        if let sbom = built.sbom, let file = published.sbomFile {
            report("SBOM (\(sbom.format)) attached to \(destination.repository)@\(pushed.digest) and written to \(file)")
        }
        if let plain = destination.indexTags.first, let tagged = destination.tags.first {
            let repository = destination.repository
            report("Once every platform is pushed, join them into one index (for each tag): stevedore index create --push \(repository):\(plain) \(repository):\(tagged) \(repository):\(plain)-<other arch>…")
        }
        report(published.taggedPinnedReference)

        guard deploy, let first = destination.tags.first else { return 0 }
        let options = KamalDeployOptions(packageDirectory: package.packageDirectory, tag: first, environment: environment)
        return try await KamalDeployJob(options: options, registry: registry).run()
    }

    /// The build of the product: the executable with its resource bundles beside it, labels (provenance, then
    /// Kamal's `service`, then the user's own, each winning over the one before), SOURCE_DATE_EPOCH from the
    /// provenance, the package's outputs, and the push target with its further tags.
    public func buildRequest(provenance: ImageProvenance, serviceLabels: [String: String], destination: PublishDestination?) throws -> BuildRequest {
        guard !image.executables.isEmpty else {
            throw StevedoreError(.missingInput, "no built executable of product '\(package.product)' was given; pass --executable PATH (one per platform)")
        }
        var request = image
        request.additions = package.resourceBundles.map {
            Addition(source: $0, destination: "\(PackageImageRequest.executableDirectory)/\(URL(fileURLWithPath: $0).lastPathComponent)")
        } + image.additions
        var labels: [String: String] = [:]
        for label in provenance.labels { labels[label.key] = label.value }
        labels.merge(serviceLabels) { _, new in new }
        request.settings.labels = labels.merging(image.settings.labels) { _, user in user }
        request.creationTime = provenance.sourceDateEpoch ?? image.creationTime
        let layoutTag = destination?.tags.first ?? publish.tags.first?.name ?? ImageTag.latest.name
        request.outputs = package.resolvedOutputs(layoutTag: layoutTag, needsLayout: push)
        if let destination {
            request.push = try ImageReference(parsing: destination.primaryReference)
            request.tags = try destination.tags.dropFirst().map(ImageTag.init)
            // A pushed image's SBOM is also kept in a file, for GitHub's SBOM attestation.
            if request.sbom.outputFile == nil, let format = request.sbom.format(pushing: true) {
                request.sbom.outputFile = package.defaultSBOMFile(extension: format.fileExtension)
            }
        }
        return request
    }

    /// The platform of the only executable, whose tags `--platform-tag` suffixes: as stated, else from its ELF header.
    ///
    /// - Throws: ``StevedoreError`` `invalidArgument` for several executables (they make one index, pushed under
    ///   the plain tags), or the planner's error for an unreadable executable.
    func platformForTag() throws -> Platform {
        guard image.executables.count == 1, let executable = image.executables.first else {
            throw StevedoreError(.invalidArgument, "--platform-tag tags one platform's image (a runner of a CI matrix), but \(image.executables.count) executables were given; drop --platform-tag to push them as one index under the plain tags")
        }
        let planner = ExecutableImagePlanner(
            executablePath: executable.path, additions: [], selfContained: true, requestedPlatform: executable.platform ?? image.platform
        )
        return try planner.executablePlatform()
    }
}
