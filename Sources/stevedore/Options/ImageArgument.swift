import ArgumentParser
import StevedoreCore
import StevedoreJobs
import StevedoreRegistry

/// The one image `inspect` and `verify` read, and how its registry is reached.
struct ImageArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("The image: oci-layout:DIR[:TAG] or a registry reference.", valueName: "LOCATION"), transform: Parse.location)
    var location: ImageLocation

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    /// Runs `body` with the image as a source, through a client for its registry (the one an explicit
    /// credential is for).
    func read<T>(_ body: (any ImageSource) async throws -> T) async throws -> T {
        try await RegistryClient.withClient(try registry.configuration(explicitFor: location.registryHost)) { client in
            try await body(try location.source(client: client))
        }
    }
}
