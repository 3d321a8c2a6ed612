import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreJobs
import StevedoreLayout
import StevedoreRegistry

/// `stevedore pull`: fetch an image from a registry into an OCI layout.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Pull an image from a registry into an OCI layout, verifying every blob.",
        discussion: "Prints oci-layout:DIR:TAG@sha256:… The tag defaults to the reference's tag."
    )

    @Argument(help: ArgumentHelp("The image: REGISTRY/REPOSITORY[:TAG|@DIGEST].", valueName: "REFERENCE"), transform: Parse.reference)
    var reference: ImageReference

    @Argument(help: ArgumentHelp("Where to put it: oci-layout:DIR[:TAG].", valueName: "DESTINATION"), transform: Parse.location)
    var destination: ImageLocation

    @Option(help: ArgumentHelp("Which image of an index to pull (default: this machine's).", valueName: "OS/ARCH[/VARIANT]"), transform: Parse.platform)
    var platform: Platform?

    @Flag(help: "Pull every image of an index, and the index itself.")
    var allPlatforms = false

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        if allPlatforms && platform != nil { throw ValidationError("--platform and --all-platforms exclude each other") }
        guard case .layout = destination else { throw ValidationError("the destination must be an OCI layout, oci-layout:DIR[:TAG]") }
    }

    func run() async throws {
        guard case .layout(let path, let tag) = destination else { return }
        let layout = try OCILayout(path: path)
        let tags = try (tag ?? reference.tag).map { [try ImageTag($0)] } ?? []
        let result = try await RegistryClient.withClient(try registry.configuration(explicitFor: reference.registry)) { client in
            let source = RegistryImageSource(client: client, reference: reference.withDefaultTag, reportsProgress: true)
            let target = LayoutImageDestination(layout: layout, tags: tags, progress: client.configuration.progress)
            return try await ImageTransfer.copy(from: source, to: target, platform: allPlatforms ? nil : platform ?? .host)
        }
        try registry.report(result.pinnedReference)
    }
}
