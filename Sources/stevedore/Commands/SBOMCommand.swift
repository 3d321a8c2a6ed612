import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreJobs
import StevedoreRegistry

/// `stevedore sbom`: print the SBOM attached to an image.
struct SBOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "Print the SBOM attached to an image, as it was attached.",
        discussion: """
            Reads the image's referrers (the registry's referrers API, else its sha256-<hex> referrers tag; in an \
            OCI layout the referrers tag of index.json) and prints the blob of the SPDX artifact \
            (application/spdx+json), else of the CycloneDX one (application/vnd.cyclonedx+json).
            """
    )

    @OptionGroup var image: ImageArgument

    @Option(name: .customLong("artifact-type"), help: ArgumentHelp("Print the artifact of this type instead (repeatable: the first found wins).", valueName: "TYPE"))
    var artifactTypes: [String] = []

    func run() async throws {
        let types = artifactTypes.isEmpty ? [MediaType.spdxJSON.rawValue, MediaType.cycloneDXJSON.rawValue] : artifactTypes
        let artifact = try await RegistryClient.withClient(try image.registry.configuration(explicitFor: image.location.registryHost)) { client in
            try await image.location.attachedArtifact(artifactTypes: types, client: client)
        }
        FileHandle.standardOutput.write(artifact.blob)
    }
}
