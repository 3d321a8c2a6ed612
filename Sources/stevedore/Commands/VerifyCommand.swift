import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreInspect
import StevedoreJobs
import StevedoreRegistry

/// `stevedore verify`: check every digest, size, media type, diff_id and tar path of an image.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an image's digests, sizes, media types, diff_ids and layer paths.",
        discussion: "Exits 1 and names each blob and what is wrong when anything does not match."
    )

    @Argument(help: ArgumentHelp("The image: oci-layout:DIR[:TAG] or a registry reference.", valueName: "LOCATION"), transform: Parse.location)
    var location: ImageLocation

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func run() async throws {
        let report = try await RegistryClient.withClient(try registry.configuration(explicitFor: location.registryHost)) { client in
            await ImageVerifier().verify(try location.source(client: client))
        }
        guard report.isValid else {
            for problem in report.problems.dropLast() {
                FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            }
            throw StevedoreError(.verificationFailed, report.problems.last.map(String.init(describing:)) ?? "")
        }
        if !registry.quiet {
            let manifests = report.checkedManifests.count, layers = report.checkedLayers
            print("\(location): OK (\(manifests) manifest\(manifests == 1 ? "" : "s"), \(layers) layer\(layers == 1 ? "" : "s"))")
        }
    }
}
