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
        discussion: """
            A multi-platform image (an index) shows its platforms; --platform shows one of them. Artifacts attached \
            to the image (SBOMs, signatures: its OCI referrers) are listed with their type, digest and size.
            """
    )

    @OptionGroup var image: ImageArgument

    @OptionGroup var platform: PlatformOption

    @Flag(help: "Print the manifest and configuration as JSON.")
    var json = false

    func run() async throws {
        let (content, referrers) = try await self.image.read { source in
            let content = try await source.loadContent(platform: platform.platform)
            return (content, json ? [] : await Self.referrers(of: content.rootDescriptor.digest, in: source))
        }
        let name = self.image.location.description
        if content.isIndex, content.images.count > 1 {
            let summary = IndexSummary(name: name, content: content)
            if json {
                FileHandle.standardOutput.write(try summary.json())
                print()
            } else {
                print(summary.text + Self.referrerLines(referrers), terminator: "")
            }
            return
        }
        let summary = ImageSummary(name: name, image: content.images[0])
        if json {
            FileHandle.standardOutput.write(try summary.json())
            print()
        } else {
            print(summary.text + Self.referrerLines(referrers), terminator: "")
        }
    }

    /// The artifacts attached to `subject` (SBOMs, signatures); none when the source cannot list them or
    /// listing fails (a warning then: the image itself was read).
    private static func referrers(of subject: Digest, in source: any ImageSource) async -> [Descriptor] {
        guard let source = source as? any ReferrerSource else { return [] }
        do {
            return try await source.referrers(of: subject, artifactType: nil)
        } catch {
            FileHandle.standardError.write(Data("warning: cannot list the referrers of \(subject): \(CommandFailure(error)?.message ?? "\(error)")\n".utf8))
            return []
        }
    }

    /// `Referrers (N)` and one line per artifact: type, digest, size; nothing when there are none.
    private static func referrerLines(_ referrers: [Descriptor]) -> String {
        guard !referrers.isEmpty else { return "" }
        let lines = referrers.map { referrer in
            let type = (referrer.artifactType ?? referrer.mediaType.rawValue).padding(toLength: 32, withPad: " ", startingAt: 0)
            return "  \(type)  \(referrer.digest)  \(ImageSummary.size(referrer.size))"
        }
        return (["Referrers (\(referrers.count))"] + lines).joined(separator: "\n") + "\n"
    }
}
