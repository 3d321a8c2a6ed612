import Foundation
import StevedoreAuth
import StevedoreCore
import StevedoreDeploy
import StevedoreRegistry

/// Looks up a pushed image for `stevedore deploy kamal`: `HEAD` of the tag, then each platform's
/// configuration for its labels, with Kamal's registry login as the only credential.
public struct RegistryImageInspector: PushedImageInspector {
    /// TLS, plain-HTTP registries and limits; credentials and progress are replaced.
    public var configuration: RegistryConfiguration

    public init(configuration: RegistryConfiguration) {
        self.configuration = configuration
    }

    public func inspect(_ reference: ImageReference, login: KamalRegistryLogin?) async throws -> PushedImageFacts? {
        var configuration = self.configuration
        configuration.progress = SilentTransferProgress()
        var credentials = configuration.credentials
        credentials.explicit = login.map { (reference.registry, Credential(username: $0.username, secret: $0.password, origin: "the Kamal registry password")) }
        configuration.credentials = credentials
        return try await RegistryClient.withClient(configuration) { client in
            try await Self.facts(reference, client: client)
        }
    }

    private static func facts(_ reference: ImageReference, client: RegistryClient) async throws -> PushedImageFacts? {
        guard let root = try await client.manifestDescriptor(of: reference) else { return nil }
        let source = RegistryImageSource(client: client, reference: reference.with(digest: root.digest))
        var images: [Image] = []
        if root.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: try await source.verifiedData(root), what: "index \(root.digest) of \(reference)")
            // Attestation manifests (platform unknown/unknown) describe images, they are not images.
            for child in index.manifests where child.mediaType.isManifest && child.platform?.os != "unknown" {
                images.append(try await RegistryImageSource(client: client, reference: reference.with(digest: child.digest)).loadImage(platform: nil))
            }
        } else {
            images.append(try await source.loadImage(platform: nil))
        }
        let facts = images.map { PushedImageFacts.PlatformImage(platform: $0.configuration.platform, labels: $0.configuration.config?.labels ?? [:]) }
        return PushedImageFacts(digest: root.digest, images: facts)
    }
}
