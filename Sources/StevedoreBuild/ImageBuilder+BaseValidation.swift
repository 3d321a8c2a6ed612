import StevedoreCore

extension ImageBuilder {
    /// The layer media types a base may have: its layers are referenced, not read, so compressed or not,
    /// distributable or not, each is one runtimes unpack.
    static let knownLayerTypes: Set<MediaType> = [
        .ociLayer, .ociLayerGzip, .ociLayerZstd, .dockerLayerGzip, .dockerForeignLayerGzip,
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    ]

    /// Checks that `base` can be built on for `platform`: its configuration is for that platform, its
    /// configuration and layer media types are known, and its `diff_ids` list one entry per layer. A base that
    /// fails would give an image that runtimes refuse (containerd and go-containerregistry's `mutate` check the
    /// same), so it is refused before anything is written.
    ///
    /// - Throws: ``StevedoreError`` `platformMismatch` or `invalidBaseImage`, naming the base and what is wrong.
    public static func validate(_ base: Base, for platform: Platform) throws {
        let name = base.name.map { "the base image \($0)" } ?? "the base image"
        let image = base.image
        guard platform.matches(image.configuration.platform) else {
            throw StevedoreError(.platformMismatch, "\(name) is for \(image.configuration.platform), the image being built is for \(platform)")
        }
        guard image.manifest.config.mediaType.isConfig else {
            throw StevedoreError(.invalidBaseImage, "\(name) has a configuration of media type \(image.manifest.config.mediaType), which is not an image configuration; choose another base")
        }
        for (position, layer) in image.manifest.layers.enumerated() where !knownLayerTypes.contains(layer.mediaType) {
            throw StevedoreError(.invalidBaseImage, "\(name)'s layer \(position + 1) (\(layer.digest)) has media type \(layer.mediaType), which is not a known layer type; choose another base")
        }
        let diffIDs = image.configuration.rootfs.diffIDs.count
        guard diffIDs == image.manifest.layers.count else {
            throw StevedoreError(.invalidBaseImage, "\(name)'s configuration lists \(diffIDs) diff_ids but its manifest has \(image.manifest.layers.count) layers; the base is malformed, choose another base")
        }
    }
}
