import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry

/// `stevedore pull`: fetch an image from a registry into an OCI layout.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image from a registry into an OCI layout, verifying every blob.",
        discussion: "Prints oci-layout:DIR:TAG@sha256:… The tag defaults to the reference's tag."
    )

    @Argument(help: ArgumentHelp("The image: REGISTRY/REPOSITORY[:TAG|@DIGEST].", valueName: "REFERENCE"))
    var reference: String

    @Argument(help: ArgumentHelp("Where to put it: oci-layout:DIR[:TAG].", valueName: "DESTINATION"))
    var destination: String

    @Option(help: ArgumentHelp("Which image of an index to pull (default: this machine's).", valueName: "OS/ARCH[/VARIANT]"))
    var platform: String?

    @Flag(help: "Pull every image of an index, and the index itself.")
    var allPlatforms = false

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        if allPlatforms && platform != nil { throw ValidationError("--platform and --all-platforms exclude each other") }
    }

    func run() async throws {
        let source = try RegistryReferences.parse(reference)
        guard case .layout(let path, let destinationTag) = try ImageLocation(parsing: destination) else {
            throw ValidationError("the destination must be an OCI layout, oci-layout:DIR[:TAG]")
        }
        let wanted = try platform.map(Platform.init(parsing:))
        let layout = try OCILayout(path: path)
        let tag = destinationTag ?? source.tag
        let descriptor = try await withRegistryClient(registry, explicitFor: source.registry) { client in
            if allPlatforms {
                return try await client.pullAll(source, into: layout.store)
            }
            var descriptor = try await client.pull(source, platform: wanted, into: layout.store).manifestDescriptor
            descriptor.platform = nil
            return descriptor
        }
        try layout.setTag(tag, for: descriptor)
        try registry.report("oci-layout:\(path)\(tag.map { ":\($0)" } ?? "")@\(descriptor.digest)")
    }
}
