import ArgumentParser
import StevedoreCore
import StevedoreJobs
import StevedoreRegistry

/// What `push`, `pull` and `copy` move and where: two locations, more tags, one platform of an index, and
/// whether the image's referrers go along.
struct TransferOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Where the image is: oci-layout:DIR[:TAG] or REGISTRY/REPOSITORY[:TAG|@DIGEST].", valueName: "SOURCE"), transform: Parse.location)
    var source: ImageLocation

    @Argument(help: ArgumentHelp("Where it goes: oci-layout:DIR[:TAG] or REGISTRY/REPOSITORY[:TAG].", valueName: "DESTINATION"), transform: Parse.location)
    var destination: ImageLocation

    @Option(help: ArgumentHelp("Another tag to set at the destination (repeatable).", valueName: "TAG"), transform: Parse.tag)
    var tag: [ImageTag] = []

    @OptionGroup(title: "Platform")
    var platform: PlatformOption

    @Flag(help: "Bring along the artifacts attached to the image (its OCI referrers: SBOMs, signatures), and to each image of an index.")
    var referrers = false

    /// Copies the source to the destination; an explicit credential (`--username`) is for the destination.
    func run(_ registry: RegistryOptions) async throws -> TransferResult {
        try await RegistryClient.withClient(try registry.configuration(explicitFor: destinationRegistry)) { client in
            try await ImageTransfer.copy(
                from: try source.source(client: client),
                to: try resolvedDestination.destination(client: client, extraTags: tag),
                platform: platform.platform,
                referrers: referrers
            )
        }
    }

    /// The destination's registry, the one an explicit credential (`--username`) is for.
    var destinationRegistry: String? {
        if case .registry(let reference) = destination { return reference.registry }
        return nil
    }

    /// The destination, taking the source's tag when it names neither tag nor digest.
    var resolvedDestination: ImageLocation {
        guard case .registry(let origin) = source else { return destination }
        switch destination {
        case .registry(var reference) where reference.tag == nil && reference.digest == nil:
            reference.tag = origin.tag
            return .registry(reference)
        case .layout(let path, nil):
            return .layout(path: path, tag: origin.tag)
        default:
            return destination
        }
    }
}
