import ArgumentParser
import Foundation
import StevedoreBuild
import StevedoreCore
import StevedoreJobs

/// `stevedore index`: multi-platform images from images that already exist.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Join single-platform images into one multi-platform image (an OCI index).",
        subcommands: [IndexCreateCommand.self]
    )
}

/// `stevedore index create`: the CI-matrix case — each runner pushes its platform, a last job joins them.
struct IndexCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Make an OCI index over images (registry references or OCI layouts) and push or write it.",
        discussion: """
            Indexes among the sources are flattened; two images for one platform are an error. Blobs are mounted \
            or copied as `copy` does. The same sources give the same index digest, the one a single \
            `stevedore build` with one --executable per platform makes.
            """
    )

    @Argument(help: ArgumentHelp("The images: REGISTRY/REPOSITORY[:TAG|@DIGEST] or oci-layout:DIR[:TAG].", valueName: "SOURCE"), transform: Parse.location)
    var sources: [ImageLocation]

    @Option(help: ArgumentHelp("Push the index to this registry reference (with the --tag tags too).", valueName: "REFERENCE"), transform: Parse.reference)
    var push: ImageReference?

    @Option(name: .long, help: ArgumentHelp("Write the index to an OCI layout (repeatable).", valueName: "oci-layout:DIR[:TAG]"), transform: Parse.location)
    var output: [ImageLocation] = []

    @Option(help: ArgumentHelp("Another tag for every output and the push (repeatable).", valueName: "TAG"), transform: Parse.tag)
    var tag: [ImageTag] = []

    @Option(help: ArgumentHelp("An annotation of the index (repeatable).", valueName: "KEY=VALUE"))
    var annotation: [String] = []

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        if sources.count < 2 { throw ValidationError("give at least two images to join") }
        if output.isEmpty, push == nil { throw ValidationError("give --output oci-layout:DIR[:TAG] or --push REFERENCE") }
        for location in output {
            guard case .layout = location else { throw ValidationError("--output \(location) is not an OCI layout; an index can only be written to oci-layout:DIR[:TAG] or pushed") }
        }
    }

    func run() async throws {
        var creation = IndexCreation(sources: sources)
        creation.outputs = output
        creation.push = push
        creation.tags = tag
        for item in annotation {
            let pair = try ImageConfigurationOptions.flag("--annotation") { try KeyValue(parsing: item, code: .invalidAnnotation) }
            creation.annotations[pair.key] = pair.value
        }
        let (content, results) = try await creation.run(registry: try registry.configuration(explicitFor: push?.registry))
        if !registry.quiet {
            var text = "Index \(content.rootDescriptor.digest):\n"
            for image in content.images { text += "  \(image.configuration.platform) \(image.manifestDescriptor.digest)\n" }
            FileHandle.standardError.write(Data(text.utf8))
        }
        for result in results.dropLast() { print(result.pinnedReference) }
        if let last = results.last { try registry.report(last.pinnedReference) }
    }
}
