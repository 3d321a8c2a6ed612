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
        discussion: """
            Exits 1 and names each blob and what is wrong when anything does not match. Paths written through a \
            symbolic link of the same layer, device nodes, setuid/setgid files and hard links to files outside the \
            layer are warnings; with --strict they are errors.
            """
    )

    @OptionGroup var image: ImageArgument

    @Flag(help: "Treat warnings (symlink-then-write paths, device nodes, setuid/setgid files, hard links leaving a layer) as errors.")
    var strict = false

    func run() async throws {
        let report = try await image.read { await ImageVerifier(strict: strict).verify($0) }
        for warning in report.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        guard report.isValid else {
            for problem in report.problems.dropLast() {
                FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            }
            throw StevedoreError(.verificationFailed, report.problems.last.map(String.init(describing:)) ?? "")
        }
        if !image.registry.quiet {
            let manifests = report.checkedManifests.count, layers = report.checkedLayers
            print("\(image.location): OK (\(manifests) manifest\(manifests == 1 ? "" : "s"), \(layers) layer\(layers == 1 ? "" : "s"))")
        }
    }
}
