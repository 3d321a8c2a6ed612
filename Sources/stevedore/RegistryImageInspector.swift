import Foundation
import StevedoreAuth
import StevedoreCore
import StevedoreDeploy
import StevedoreRegistry

/// Looks up a pushed image with the registry client, for `stevedore deploy`: `HEAD` of the tag, then each
/// platform's configuration for its labels.
struct RegistryImageInspector: PushedImageInspector {
    var options: RegistryOptions

    func inspect(_ reference: ImageReference, login: KamalRegistryLogin?) async throws -> PushedImageFacts? {
        let credential = login.map { Credential(username: $0.username, secret: $0.password, origin: "the Kamal registry password") }
        var quiet = options
        quiet.quiet = true
        return try await withRegistryClient(quiet, explicitFor: reference.registry, credential: credential) { client in
            try await Self.facts(reference, client: client)
        }
    }

    private static func facts(_ reference: ImageReference, client: RegistryClient) async throws -> PushedImageFacts? {
        guard let root = try await client.manifestDescriptor(of: reference) else { return nil }
        let source = RegistryImageSource(client: client, reference: reference.with(digest: root.digest))
        var images: [PushedImageFacts.PlatformImage] = []
        if root.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: try await source.verifiedData(root), what: "index \(root.digest) of \(reference)")
            // Attestation manifests (platform unknown/unknown) describe images, they are not images.
            for child in index.manifests where child.mediaType.isManifest && child.platform?.os != "unknown" {
                let image = try await RegistryImageSource(client: client, reference: reference.with(digest: child.digest)).loadImage(platform: nil)
                images.append(.init(platform: image.configuration.platform, labels: image.configuration.config?.labels ?? [:]))
            }
        } else {
            let image = try await source.loadImage(platform: nil)
            images.append(.init(platform: image.configuration.platform, labels: image.configuration.config?.labels ?? [:]))
        }
        return PushedImageFacts(digest: root.digest, images: images)
    }
}
