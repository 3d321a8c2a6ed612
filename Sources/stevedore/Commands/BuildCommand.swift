import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreJobs

/// `stevedore build`: assemble an image from an executable and files, on scratch or a base image.
struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a reproducible image of an executable into an OCI layout, a docker-archive or a registry.",
        discussion: """
            From scratch (the default) the image is self-contained: the executable at /usr/local/bin/NAME, the \
            shared libraries its ELF dynamic section names, /etc/passwd and /etc/group with the non-root user \
            65532 'nonroot', /etc/nsswitch.conf, /tmp and the host's CA certificates.
            With several --executable (one per platform) it builds one image per platform with the same \
            configuration and an OCI index over them.
            Outputs: oci-layout:DIR[:TAG] and docker-archive:FILE[:NAME[:TAG]] (repeatable), and --push REFERENCE.
            """
    )

    @Option(help: ArgumentHelp("The ELF executable to put in the image as its entrypoint. Repeat it, one per platform (read from each ELF header, or stated as OS/ARCH=PATH), for a multi-platform image: an OCI index.", valueName: "[OS/ARCH=]PATH"), transform: BuildExecutable.init(parsing:))
    var executable: [BuildExecutable] = []

    @Option(help: ArgumentHelp("Find the shared libraries in this root file system instead of the host's directories (repeatable; OS/ARCH=DIR for one platform's): a cross toolchain's sysroot, an unpacked Debian root.", valueName: "[OS/ARCH=]DIR"), transform: LibraryRoot.init(parsing:))
    var sysroot: [LibraryRoot] = []

    @OptionGroup(title: "Base and outputs")
    var target: BuildTargetOptions

    @Flag(inversion: .prefixedNo, help: "Add the runtime libraries and system files (default: only from scratch).")
    var selfContained: Bool?

    @OptionGroup(title: "Image configuration")
    var image: ImageConfigurationOptions

    @OptionGroup(title: "SBOM")
    var sbom: SBOMOptions

    @OptionGroup(title: "Registry (for --from REFERENCE and --push)")
    var registry: RegistryOptions

    func validate() throws {
        if target.output.isEmpty, target.push == nil {
            throw ValidationError("give at least one --output (e.g. --output oci-layout:image:latest) or --push REFERENCE")
        }
    }

    func run() async throws {
        var request = BuildRequest(executable: nil)
        request.executables = executable
        request.libraryRoots = sysroot
        try image.apply(to: &request)
        try target.apply(to: &request)
        request.selfContained = selfContained
        sbom.apply(to: &request)
        let build = ImageBuild(registry: try registry.configuration(explicitFor: target.push?.registry), layerProgress: registry.layerProgress)
        let built = try await build.run(request)
        if !registry.quiet { FileHandle.standardError.write(Data(Self.runHint(built.content, outputs: target.output).utf8)) }
        for result in built.results.dropLast() { print(result.pinnedReference) }
        if let last = built.results.last { try registry.report(last.pinnedReference) }
    }

    private static func runHint(_ built: ImageContent, outputs: [ImageLocation]) -> String {
        var lines = ""
        if built.isIndex {
            lines += "Built a multi-platform image \(built.rootDescriptor.digest):\n"
            for image in built.images {
                lines += "  \(image.configuration.platform) \(image.manifestDescriptor.digest) (\(image.manifest.layers.count) layers)\n"
            }
        } else if let image = built.images.first {
            lines += "Built \(image.configuration.platform) image \(image.manifestDescriptor.digest) (\(image.manifest.layers.count) layers)\n"
        }
        switch outputs.first {
        case .layout(let path, let tag)?: lines += "Run it: podman run --rm oci:\(path)\(tag.map { ":\($0)" } ?? "")\n"
        case .dockerArchive(let path, _)?: lines += "Run it: podman load -i \(path)\n"
        default: break
        }
        return lines
    }
}

/// Where `build` starts from and where the image goes: `--from`, `--output`, `--push`, `--tag`.
struct BuildTargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The base image: 'scratch', oci-layout:DIR:TAG or a registry reference.", valueName: "IMAGE"), transform: BaseImage.init(parsing:))
    var from: BaseImage = .scratch

    @Option(name: .long, help: ArgumentHelp("Where to write the image (repeatable): oci-layout:DIR[:TAG] or docker-archive:FILE[:NAME[:TAG]].", valueName: "LOCATION"), transform: Parse.location)
    var output: [ImageLocation] = []

    @Option(help: ArgumentHelp("Also push the image to this registry reference (with the --tag tags too).", valueName: "REFERENCE"), transform: Parse.reference)
    var push: ImageReference?

    @Option(help: ArgumentHelp("An extra tag for every OCI layout output and the push (repeatable).", valueName: "TAG"), transform: Parse.tag)
    var tag: [ImageTag] = []

    func validate() throws {
        for case .registry(let reference) in output {
            throw ValidationError("--output \(reference) names a registry; push with --push \(reference)")
        }
    }

    /// Sets the request's base, outputs, push target and extra tags.
    func apply(to request: inout BuildRequest) throws {
        request.base = from.location
        request.outputs = output
        request.push = push
        request.tags = tag
    }
}

/// `--from`: scratch or an image.
enum BaseImage: Sendable {
    case scratch
    case image(ImageLocation)

    init(parsing text: String) throws {
        self = text == "scratch" ? .scratch : .image(try ImageLocation(parsing: text))
    }

    /// The base's location; `nil` for scratch.
    var location: ImageLocation? {
        if case .image(let location) = self { return location }
        return nil
    }
}
