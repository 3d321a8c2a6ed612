extension ImageIndex {
    /// An empty referrers index, the start of a subject's `sha256-<hex>` tag.
    public static var emptyReferrers: ImageIndex { ImageIndex(manifests: []) }

    /// Adds a referrer's descriptor unless one with its digest is listed already.
    ///
    /// - Returns: whether the index changed.
    @discardableResult
    public mutating func addReferrer(_ descriptor: Descriptor) -> Bool {
        guard !manifests.contains(where: { $0.digest == descriptor.digest }) else { return false }
        manifests.append(descriptor)
        return true
    }

    /// The referrers listed, those of `artifactType` only when it is given.
    public func referrers(artifactType: String?) -> [Descriptor] {
        guard let artifactType else { return manifests }
        return manifests.filter { $0.artifactType == artifactType }
    }
}
