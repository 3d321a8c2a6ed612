import Foundation

extension ImageContent {
    /// A multi-platform image: an OCI index over `images`, one descriptor each with its configuration's
    /// platform, in a fixed order (by operating system, architecture, then variant), so that the same images
    /// give the same index bytes however they were gathered — one build with several executables, or
    /// `stevedore index create` joining images pushed by separate runners.
    ///
    /// - Parameter annotations: the index's own annotations (`--annotation`), `nil` or empty for none.
    /// - Throws: ``StevedoreError`` `duplicatePlatform` when two images are for the same platform.
    public init(indexOf images: [Image], annotations: [String: String]?) throws {
        var seen: [Platform: Digest] = [:]
        for image in images {
            let platform = image.configuration.platform.normalized
            if let other = seen[platform], other != image.manifestDescriptor.digest {
                throw StevedoreError(.duplicatePlatform, "two images are for \(platform): \(other) and \(image.manifestDescriptor.digest); an index holds one image per platform")
            }
            seen[platform] = image.manifestDescriptor.digest
        }
        var unique: [Digest: Image] = [:]
        for image in images { unique[image.manifestDescriptor.digest] = image }
        let ordered = unique.values.sorted { Self.precedes($0.configuration.platform.normalized, $1.configuration.platform.normalized) }
        let descriptors = ordered.map { image in
            var descriptor = image.manifestDescriptor
            descriptor.platform = Platform(os: image.configuration.os, architecture: image.configuration.architecture, variant: image.configuration.variant)
            descriptor.annotations = nil
            return descriptor
        }
        let index = ImageIndex(manifests: descriptors, annotations: annotations?.isEmpty == false ? annotations : nil)
        self.init(images: ordered, indexData: try CanonicalJSON.encode(index))
    }

    /// Whether the content is an index (several images, or one listed by an index).
    public var isIndex: Bool { indexData != nil }

    private static func precedes(_ lhs: Platform, _ rhs: Platform) -> Bool {
        (lhs.os, lhs.architecture, lhs.variant ?? "") < (rhs.os, rhs.architecture, rhs.variant ?? "")
    }
}
