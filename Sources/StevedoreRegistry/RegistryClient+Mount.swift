import StevedoreCore

extension RegistryClient {
    /// The layers of `image` that came from its base image, when the base lives on the registry `target`
    /// names but in another repository: they can be mounted instead of uploaded.
    ///
    /// The base is found from the manifest annotations `org.opencontainers.image.base.name` and
    /// `org.opencontainers.image.base.digest`. Mounting is an optimisation: any failure here gives an empty map.
    public func mountSources(for image: Image, target: ImageReference) async -> [Digest: ImageReference] {
        guard let annotations = image.manifest.annotations,
              let name = annotations[AnnotationKey.baseName],
              var base = try? ImageReference(parsing: name),
              base.apiHost == target.apiHost, base.repository != target.repository else { return [:] }
        if let digestText = annotations[AnnotationKey.baseDigest], let digest = try? Digest(parsing: digestText) {
            base = base.with(digest: digest)
        }
        guard let baseImage = try? await RegistryImageSource(client: self, reference: base).loadImage(platform: image.configuration.platform) else {
            return [:]
        }
        let ours = Set(image.manifest.layers.map(\.digest))
        var sources: [Digest: ImageReference] = [:]
        for layer in baseImage.manifest.layers where ours.contains(layer.digest) {
            sources[layer.digest] = base
        }
        return sources
    }
}
