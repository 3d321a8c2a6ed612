import Foundation
import StevedoreCore

/// Tags of an ``OCILayout`` as an ``ImageDestination``.
///
/// Blobs already in a store on the same file system are hard-linked; others stream in through atomic,
/// verified writes, a few at once. Manifests and the index follow their blobs, and tags come last, so an
/// interrupted write never leaves a tag naming missing content.
public struct LayoutImageDestination: ImageDestination {
    /// The layout written to.
    public let layout: OCILayout
    /// The tags to set; empty records the image untagged.
    public let tags: [ImageTag]
    /// Where layers already present are reported (a pull); the source reports what it downloads.
    public var progress: any TransferProgress

    /// How many blobs stream in at once.
    static let concurrentBlobs = 4

    public init(layout: OCILayout, tags: [ImageTag], progress: any TransferProgress = SilentTransferProgress()) {
        self.layout = layout
        self.tags = tags
        self.progress = progress
    }

    public var destinationDescription: String {
        "oci-layout:\(layout.path)" + (tags.first.map { ":\($0)" } ?? "")
    }

    public func write(_ content: ImageContent, blobs: any BlobSource) async throws -> TransferResult {
        let store = layout.store
        let sourceStore = (blobs as? LayoutImageSource)?.layout.store ?? blobs as? BlobStore
        var missing: [Descriptor] = []
        var existing = 0
        for descriptor in content.blobs {
            if store.contains(descriptor.digest) {
                existing += 1
                if descriptor.mediaType.isLayer { progress.finished(descriptor, outcome: .alreadyPresent) }
            } else if let sourceStore, sourceStore.contains(descriptor.digest) {
                try store.link(descriptor.digest, from: sourceStore)
            } else {
                missing.append(descriptor)
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = missing.makeIterator()
            var running = 0
            while running < Self.concurrentBlobs, let descriptor = pending.next() {
                group.addTask { try await store.copy(descriptor, from: blobs) }
                running += 1
            }
            while try await group.next() != nil {
                if let descriptor = pending.next() {
                    group.addTask { try await store.copy(descriptor, from: blobs) }
                }
            }
        }
        for image in content.images {
            try store.write(image.configurationData)
            try store.write(image.manifestData)
        }
        if let indexData = content.indexData { try store.write(indexData) }
        let root = content.rootDescriptor
        for tag in tags.isEmpty ? [nil] : tags.map(Optional.some) {
            try layout.setTag(tag?.name, for: root)
        }
        var result = TransferResult(pinnedReference: "\(destinationDescription)@\(root.digest)", digest: root.digest)
        result.copiedBlobs = missing.count
        result.copiedBytes = missing.reduce(0) { $0 + $1.size }
        result.existingBlobs = existing
        return result
    }
}

extension OCILayout {
    /// This layout as a destination that sets `tags`.
    public func destination(tags: [ImageTag]) -> LayoutImageDestination {
        LayoutImageDestination(layout: self, tags: tags)
    }
}
