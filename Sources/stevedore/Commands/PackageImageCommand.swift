import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreJobs
import StevedorePublish

/// `stevedore package-image`: what the `build-image` and `push-image` plugins run once SwiftPM has built the product.
struct PackageImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package-image",
        abstract: "Turn a built executable product of a Swift package into an image, and optionally push it.",
        discussion: """
        The build-image and push-image SwiftPM plugins run this after building the product; it can also be run by hand.
        Defaults: labels org.opencontainers.image.source/.revision/.created and SOURCE_DATE_EPOCH from the commit;
        repository ghcr.io/<owner>/<repo> from GITHUB_REPOSITORY or a GitHub `origin`; tags: the full commit SHA
        (GITHUB_SHA, else git HEAD) plus `latest` on the default branch (`<sha>-dirty` and no `latest` for a dirty tree).
        After a push, .build/stevedore/pushed-image holds REF:TAG@sha256:…; under GitHub Actions the step outputs image,
        digest, tags and tag go to $GITHUB_OUTPUT and a table to $GITHUB_STEP_SUMMARY. Credentials: STEVEDORE_REGISTRY_USERNAME
        and STEVEDORE_REGISTRY_PASSWORD, GITHUB_TOKEN (ghcr.io), docker/podman configuration or ~/.netrc (a plugin cannot
        read a password from standard input).
        """
    )

    @Option(name: .customLong("package-dir"), help: "The root directory of the Swift package.")
    var packageDirectory: String

    @Option(help: "The name of the executable product.")
    var product: String

    @Option(help: ArgumentHelp("The built executable. Repeat it, one per platform (read from each ELF header, or stated as OS/ARCH=PATH), for a multi-platform image: an OCI index.", valueName: "[OS/ARCH=]PATH"), transform: BuildExecutable.init(parsing:))
    var executable: [BuildExecutable] = []

    @Option(name: .customLong("resources-bundle"), help: "A SwiftPM resource bundle placed beside the executable (repeatable).")
    var resourceBundles: [String] = []

    @Flag(help: "Push the image after building it.")
    var push = false

    @Option(help: "Where to push: REGISTRY/PATH (default: ghcr.io/<owner>/<repo>).")
    var repository: String?

    @Option(help: "A tag (repeatable). Default when pushing: the commit SHA, plus `latest` on the default branch.", transform: Parse.tag)
    var tag: [ImageTag] = []

    @Option(name: .customLong("default-branch"), help: "The branch whose builds are also tagged `latest`.")
    var defaultBranch: String?

    @Flag(name: .customLong("platform-tag"), help: "Push under <tag>-<arch> (e.g. <sha>-arm64, latest-arm64) instead of each tag: one runner of a CI matrix; a last job joins the platforms with `stevedore index create`.")
    var platformTag = false

    @Option(help: "Base image (default: scratch).", transform: BaseImage.init(parsing:))
    var from: BaseImage = .scratch

    @Option(help: "oci-layout:DIR[:TAG] or docker-archive:FILE[:NAME:TAG] (repeatable; default: oci-layout:.build/stevedore/oci/<product>).", transform: Parse.location)
    var output: [ImageLocation] = []

    @Option(name: .customLong("pushed-image-file"), help: "Where to write REF@digest after a push (default: .build/stevedore/pushed-image).")
    var pushedImageFile: String?

    @Flag(help: "After pushing, deploy with Kamal (`stevedore deploy kamal --tag <first tag>`).")
    var deploy = false

    @OptionGroup(title: "Image configuration (the timestamp defaults to SOURCE_DATE_EPOCH, else the commit time)")
    var image: ImageConfigurationOptions

    @OptionGroup(title: "SBOM (made by default when pushing)")
    var sbom: SBOMOptions

    @OptionGroup(title: "Registry access (with --push)")
    var registry: RegistryOptions

    func validate() throws {
        if executable.isEmpty { throw ValidationError("Missing --executable: the built executable (repeat it, one per platform).") }
        if deploy, !push { throw ValidationError("--deploy needs --push (use the push-image plugin).") }
        if platformTag, !push { throw ValidationError("--platform-tag names the pushed tags; use it with --push (the push-image plugin).") }
        if platformTag, deploy {
            throw ValidationError("--deploy cannot follow a --platform-tag push: Kamal deploys the index, which exists only once every platform is pushed and joined with `stevedore index create`.")
        }
        for case .registry(let reference) in output {
            throw ValidationError("--output '\(reference)' names a registry; use push-image (or --push with --repository) to push.")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var image = BuildRequest(executable: nil)
        image.executables = executable
        try self.image.apply(to: &image)
        image.base = from.location
        sbom.apply(to: &image)
        var job = PackageImageJob(
            package: PackageImageRequest(
                packageDirectory: URL(fileURLWithPath: packageDirectory).standardizedFileURL.path,
                product: product, resourceBundles: resourceBundles, outputs: output
            ),
            image: image,
            publish: PublishOptions(
                repository: repository, tags: tag, sourceDateEpoch: self.image.layers.sourceDateEpoch, defaultBranch: defaultBranch, platformTag: platformTag
            ),
            push: push, deploy: deploy, pushedImageFile: pushedImageFile,
            registry: try registry.configuration(explicitFor: nil),
            environment: environment
        )
        job.layerProgress = registry.layerProgress
        job.reportsTimings = registry.verbose
        let status = try await job.run(
            report: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
            warn: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) }
        )
        if status != 0 { throw ExitCode(status) }
    }
}
