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

    @OptionGroup var transfer: TransferOptions

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        switch (transfer.source, transfer.destination) {
        case (.layout, .registry), (.registry, .layout), (.registry, .registry): break
        default: throw ValidationError("copy needs a registry on at least one side: registry → registry, oci-layout → registry or registry → oci-layout")
        }
    }

    func run() async throws {
        let result = try await transfer.run(registry)
        try registry.report(result.pinnedReference)
    }
}
