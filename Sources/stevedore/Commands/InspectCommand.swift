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

    @OptionGroup var image: ImageArgument

    @OptionGroup var platform: PlatformOption

    @Flag(help: "Print the manifest and configuration as JSON.")
    var json = false

    func run() async throws {
        let image = try await self.image.read { try await $0.loadImage(platform: platform.platform) }
        let summary = ImageSummary(name: self.image.location.description, image: image)
        if json {
            FileHandle.standardOutput.write(try summary.json())
            print()
        } else {
            print(summary.text, terminator: "")
        }
    }
}
