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

    @OptionGroup var transfer: TransferOptions

    @Flag(help: "Pull every image of an index, and the index itself.")
    var allPlatforms = false

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        if allPlatforms && transfer.platform.platform != nil { throw ValidationError("--platform and --all-platforms exclude each other") }
        guard case .registry = transfer.source else { throw ValidationError("the source must be a registry reference, REGISTRY/REPOSITORY[:TAG|@DIGEST]") }
        guard case .layout = transfer.destination else { throw ValidationError("the destination must be an OCI layout, oci-layout:DIR[:TAG]") }
    }

    func run() async throws {
        guard case .registry(let reference) = transfer.source, case .layout(let path, let tag) = transfer.resolvedDestination else { return }
        let layout = try OCILayout(path: path)
        let tags = try (tag.map { [try ImageTag($0)] } ?? []) + transfer.tag
        let result = try await RegistryClient.withClient(try registry.configuration(explicitFor: reference.registry)) { client in
            // Downloads show on the progress lines; so do the layers the layout already has.
            let source = RegistryImageSource(client: client, reference: reference.withDefaultTag, reportsProgress: true)
            let destination = LayoutImageDestination(layout: layout, tags: tags, progress: client.configuration.progress)
            return try await ImageTransfer.copy(from: source, to: destination, platform: allPlatforms ? nil : transfer.platform.platform ?? .host, referrers: transfer.referrers)
        }
        try registry.report(result.pinnedReference)
    }
}
