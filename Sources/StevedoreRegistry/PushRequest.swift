import Foundation
import StevedoreCore

/// What to push: one image, or several images and the index that lists them, with where their blobs are.
///
/// Layers whose ``Image/blobOrigins`` name another repository of the target registry are mounted from
/// there instead of uploaded.
public struct PushRequest: Sendable {
    /// The image or index.
    public var content: ImageContent
    /// Where the configurations and layers are read from (a layer it lacks is read from its origin).
    public var blobs: any BlobSource
    /// Where to push: registry, repository and the first tag (a reference without tag pushes by digest only).
    public var target: ImageReference
    /// More tags for the same manifest or index.
    public var additionalTags: [ImageTag]

    /// A request to push `content`.
    public init(content: ImageContent, blobs: any BlobSource, target: ImageReference, additionalTags: [ImageTag] = []) {
        self.content = content
        self.blobs = blobs
        self.target = target
        self.additionalTags = additionalTags
    }

    /// A request to push one image.
    public init(image: Image, blobs: any BlobSource, target: ImageReference, additionalTags: [ImageTag] = []) {
        self.init(content: ImageContent(image: image), blobs: blobs, target: target, additionalTags: additionalTags)
    }

    /// The images; with more than one, ``indexData`` lists them.
    public var images: [Image] { content.images }
    /// The bytes of the index, if any.
    public var indexData: Data? { content.indexData }

    /// Every tag the push sets: the target's, then the additional ones, without repeats.
    public var tags: [String] {
        var result: [String] = []
        for tag in [target.tag].compactMap({ $0 }) + additionalTags.map(\.name) where !result.contains(tag) { result.append(tag) }
        return result
    }

    /// The repositories of the target's registry that layers can be mounted from.
    var mountableOrigins: [Digest: ImageReference] {
        var origins: [Digest: ImageReference] = [:]
        for image in images {
            for (digest, origin) in image.blobOrigins where origin.apiHost == target.apiHost && origin.repository != target.repository {
                origins[digest] = origin
            }
        }
        return origins
    }
}

/// What a push did.
public struct PushResult: Sendable, Hashable {
    /// The digest of the pushed manifest (or index).
    public var digest: Digest
    /// The target with that digest: `registry/repository:tag@sha256:…`.
    public var reference: ImageReference
    /// The tags set.
    public var tags: [String]
    /// How many blobs were uploaded.
    public var uploadedBlobs: Int
    /// How many blobs were mounted from another repository.
    public var mountedBlobs: Int
    /// How many blobs the registry had already.
    public var existingBlobs: Int
    /// How many bytes were uploaded.
    public var uploadedBytes: Int64

    /// `registry/repository[:tag]@sha256:…`, what the CLI prints.
    public var pinnedReference: String { reference.description }
}
