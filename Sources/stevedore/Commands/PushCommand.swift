import ArgumentParser
import Foundation
import StevedoreCore
import StevedoreJobs
import StevedoreRegistry

/// `stevedore push`: send an image from an OCI layout to a registry.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push an image (or a multi-platform index) from an OCI layout to a registry.",
        discussion: """
            Blobs the registry has are skipped, base layers from the same registry are mounted, the rest upload \
            several at once; manifests and tags go last. Prints REF@sha256:…
            Credentials: --username with --password-stdin, STEVEDORE_REGISTRY_USERNAME/STEVEDORE_REGISTRY_PASSWORD, \
            GITHUB_TOKEN (ghcr.io), docker's config.json and credential helpers, podman's auth.json, ~/.netrc.
            """
    )

    @Argument(help: ArgumentHelp("The image: oci-layout:DIR[:TAG].", valueName: "SOURCE"), transform: Parse.location)
    var source: ImageLocation

    @Argument(help: ArgumentHelp("Where to push: REGISTRY/REPOSITORY[:TAG].", valueName: "REFERENCE"), transform: Parse.reference)
    var reference: ImageReference

    @Option(help: ArgumentHelp("Another tag to set (repeatable).", valueName: "TAG"), transform: Parse.tag)
    var tag: [ImageTag] = []

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        guard case .layout = source else {
            throw ValidationError("the source must be an OCI layout, oci-layout:DIR[:TAG]; to copy from a registry use `stevedore copy`")
        }
    }

    func run() async throws {
        let result = try await RegistryClient.withClient(try registry.configuration(explicitFor: reference.registry)) { client in
            try await ImageTransfer.copy(from: try source.source(client: client), to: RegistryImageDestination(client: client, reference: reference, additionalTags: tag))
        }
        if !registry.quiet {
            FileHandle.standardError.write(Data("pushed \(result.copiedBlobs) blobs (\(result.copiedBytes) bytes), mounted \(result.mountedBlobs), \(result.existingBlobs) already present\n".utf8))
        }
        try registry.report(result.pinnedReference)
    }
}
