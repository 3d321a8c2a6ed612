import Foundation
import StevedoreCore

/// What to push: one image, or several images and the index that lists them, with where their blobs are.
public struct PushRequest: Sendable {
    /// The images; with more than one, ``indexData`` lists them.
    public var images: [Image]
    /// The bytes of the index to push when there are several images (or to push one image as an index).
    public var indexData: Data?
    /// Where the configurations and layers are read from.
    public var blobs: any BlobSource
    /// Where to push: registry, repository and the first tag (a reference without tag pushes by digest only).
    public var target: ImageReference
    /// More tags for the same manifest or index.
    public var additionalTags: [String]
    /// Blobs that came from another repository on the same registry (a base image): they are mounted
    /// from there instead of uploaded.
    public var mountSources: [Digest: ImageReference]

    /// A request to push one image.
    public init(image: Image, blobs: any BlobSource, target: ImageReference, additionalTags: [String] = [], mountSources: [Digest: ImageReference] = [:]) {
        self.images = [image]
        self.indexData = nil
        self.blobs = blobs
        self.target = target
        self.additionalTags = additionalTags
        self.mountSources = mountSources
    }

    /// A request to push several images and their index.
    public init(images: [Image], indexData: Data, blobs: any BlobSource, target: ImageReference, additionalTags: [String] = [], mountSources: [Digest: ImageReference] = [:]) {
        self.images = images
        self.indexData = indexData
        self.blobs = blobs
        self.target = target
        self.additionalTags = additionalTags
        self.mountSources = mountSources
    }

    /// Every tag the push sets: the target's, then the additional ones, without repeats.
    public var tags: [String] {
        var result: [String] = []
        for tag in [target.tag].compactMap({ $0 }) + additionalTags where !result.contains(tag) { result.append(tag) }
        return result
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
