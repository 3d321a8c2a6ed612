import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreInspect

/// `stevedore inspect`: show what an image is and how it runs.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an image's platform, layers, entrypoint, environment and labels."
    )

    @Argument(help: ArgumentHelp("The image: oci-layout:DIR[:TAG] or a registry reference.", valueName: "LOCATION"))
    var location: String

    @Option(help: ArgumentHelp("Which image of an index to show.", valueName: "OS/ARCH[/VARIANT]"))
    var platform: String?

    @Flag(help: "Print the manifest and configuration as JSON.")
    var json = false

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func run() async throws {
        let location = try ImageLocation(parsing: location)
        let platform = try platform.map(Platform.init(parsing:))
        let image = try await withRegistryClient(registry, explicitFor: nil) { client in
            try await ImageSources.open(location, client: client).loadImage(platform: platform)
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
