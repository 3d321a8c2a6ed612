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

    @OptionGroup var transfer: TransferOptions

    @OptionGroup(title: "Registry")
    var registry: RegistryOptions

    func validate() throws {
        guard case .layout = transfer.source else {
            throw ValidationError("the source must be an OCI layout, oci-layout:DIR[:TAG]; to copy from a registry use `stevedore copy`")
        }
        guard case .registry = transfer.destination else {
            throw ValidationError("the destination must be a registry reference, REGISTRY/REPOSITORY[:TAG]")
        }
    }

    func run() async throws {
        let result = try await transfer.run(registry)
        if !registry.quiet {
            FileHandle.standardError.write(Data("pushed \(result.copiedBlobs) blobs (\(result.copiedBytes) bytes), mounted \(result.mountedBlobs), \(result.existingBlobs) already present\n".utf8))
        }
        try registry.report(result.pinnedReference)
    }
}
