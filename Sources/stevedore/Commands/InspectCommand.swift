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
        abstract: "Show an image's platform, layers, entrypoint, environment and labels.",
        discussion: "A multi-platform image (an index) shows its platforms; --platform shows one of them."
    )

    @OptionGroup var image: ImageArgument

    @OptionGroup var platform: PlatformOption

    @Flag(help: "Print the manifest and configuration as JSON.")
    var json = false

    func run() async throws {
        let content = try await self.image.read { try await $0.loadContent(platform: platform.platform) }
        let name = self.image.location.description
        if content.isIndex, content.images.count > 1 {
            let summary = IndexSummary(name: name, content: content)
            if json {
                FileHandle.standardOutput.write(try summary.json())
                print()
            } else {
                print(summary.text, terminator: "")
            }
            return
        }
        let summary = ImageSummary(name: name, image: content.images[0])
        if json {
            FileHandle.standardOutput.write(try summary.json())
            print()
        } else {
            print(summary.text, terminator: "")
        }
    }
}
