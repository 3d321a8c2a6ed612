import StevedoreAuth
import StevedoreCore
import StevedoreDeploy
import StevedoreRegistry

/// Answers Kamal checks from the registry, with the credentials Kamal will use on the hosts.
struct RegistryImageInspector: PushedImageInspector {
    var options: RegistryOptions

    func inspect(_ reference: ImageReference, login: KamalRegistryLogin?) async throws -> PushedImageFacts? {
        let credential = login.map { Credential(username: $0.username, secret: $0.password, origin: "Kamal's registry.password secret") }
        return try await withRegistryClient(options, explicitFor: reference.registry, credential: credential) { client in
            try await facts(reference, client: client)
        }
    }

    private func facts(_ reference: ImageReference, client: RegistryClient) async throws -> PushedImageFacts? {
        guard let root = try await client.manifestExists(reference) else { return nil }
        let source = RegistryImageSource(client: client, reference: reference.with(digest: root.digest))
        var images: [PushedImageFacts.PlatformImage] = []
        if root.mediaType.isIndex {
            let index = try CanonicalJSON.decode(ImageIndex.self, from: try await source.verifiedData(root), what: "index \(root.digest)")
            for descriptor in index.manifests where descriptor.mediaType.isManifest {
                guard let platform = descriptor.platform, platform.os != "unknown" else { continue }
                let image = try await RegistryImageSource(client: client, reference: reference.with(digest: descriptor.digest)).loadImage(platform: nil)
                images.append(.init(platform: platform, labels: image.configuration.config?.labels ?? [:]))
            }
        } else {
            let image = try await source.loadImage(platform: nil)
            images.append(.init(platform: image.configuration.platform, labels: image.configuration.config?.labels ?? [:]))
        }
        return PushedImageFacts(digest: root.digest, images: images)
    }
}
