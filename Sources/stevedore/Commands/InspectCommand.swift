import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreInspect
import StevedoreJobs
import StevedoreRegistry

/// `stevedore inspect`: show what an image is and how it runs.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an image's platform, layers, entrypoint, environment and labels."
    )

    @Argument(help: ArgumentHelp("The image: oci-layout:DIR[:TAG] or a registry reference.", valueName: "LOCATION"), transform: Parse.location)
    var location: ImageLocation

    @Option(help: ArgumentHelp("Which image of an index to show.", valueName: "OS/ARCH[/VARIANT]"), transform: Parse.platform)
    var platform: Platform?

    @Flag(help: "Print the manifest and configuration as JSON.")
    var json = false

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func run() async throws {
        let image = try await RegistryClient.withClient(try registry.configuration(explicitFor: location.registryHost)) { client in
            try await location.source(client: client).loadImage(platform: platform)
        }
        let summary = ImageSummary(name: location.description, image: image)
        if json {
            FileHandle.standardOutput.write(try summary.json())
            print()
        } else {
            print(summary.text, terminator: "")
        }
    }
}
