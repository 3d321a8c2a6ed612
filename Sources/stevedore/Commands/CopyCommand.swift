import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreJobs
import StevedoreRegistry

/// `stevedore copy`: move an image between registries, or between a registry and an OCI layout.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image: registry → registry, OCI layout → registry, or registry → OCI layout.",
        discussion: """
            Between repositories of one registry, blobs are mounted, not transferred; between registries they \
            stream from one to the other. --username/--password-stdin apply to the destination registry.
            """
    )

    @Argument(help: ArgumentHelp("oci-layout:DIR[:TAG] or REGISTRY/REPOSITORY[:TAG|@DIGEST].", valueName: "SOURCE"), transform: Parse.location)
    var source: ImageLocation

    @Argument(help: ArgumentHelp("oci-layout:DIR[:TAG] or REGISTRY/REPOSITORY[:TAG].", valueName: "DESTINATION"), transform: Parse.location)
    var destination: ImageLocation

    @Option(help: ArgumentHelp("Another tag to set at a registry destination (repeatable).", valueName: "TAG"), transform: Parse.tag)
    var tag: [ImageTag] = []

    @Option(help: ArgumentHelp("Which image of an index to copy; without it the whole index is copied.", valueName: "OS/ARCH[/VARIANT]"), transform: Parse.platform)
    var platform: Platform?

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        switch (source, destination) {
        case (.layout, .registry), (.registry, .layout), (.registry, .registry): break
        default: throw ValidationError("copy needs a registry on at least one side: registry → registry, oci-layout → registry or registry → oci-layout")
        }
    }

    func run() async throws {
        var target = destination
        // A destination without tag or digest takes the source's tag.
        switch (source, destination) {
        case (.registry(let origin), .registry(var reference)) where reference.tag == nil && reference.digest == nil:
            reference.tag = origin.tag
            target = .registry(reference)
        case (.registry(let origin), .layout(let path, nil)):
            target = .layout(path: path, tag: origin.tag)
        default: break
        }
        var explicitFor: String?
        if case .registry(let reference) = destination { explicitFor = reference.registry }
        let result = try await RegistryClient.withClient(try registry.configuration(explicitFor: explicitFor)) { client in
            try await ImageTransfer.copy(from: try source.source(client: client), to: try target.destination(client: client, extraTags: tag), platform: platform)
        }
        try registry.report(result.pinnedReference)
    }
}
