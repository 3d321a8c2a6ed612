import Foundation
import StevedoreCore

/// An OCI image layout directory: `oci-layout`, `index.json` and a ``BlobStore``.
///
/// Tags are `org.opencontainers.image.ref.name` annotations on the descriptors in `index.json`.
/// Changes to `index.json` hold an exclusive `flock` on the layout directory and replace the file
/// atomically, so builds writing one layout at once do not lose each other's tags.
/// See <https://github.com/opencontainers/image-spec/blob/main/image-layout.md>.
public struct OCILayout: Sendable {
    /// The layout directory.
    public let path: String
    /// Its blobs.
    public let store: BlobStore

    private static let layoutFile = #"{"imageLayoutVersion":"1.0.0"}"#

    /// Opens the layout at `path`, creating it when `create` is true and it does not exist.
    ///
    /// - Throws: ``StevedoreError`` `notALayout` when the directory exists but is not a layout, or `io`.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            throw StevedoreError(.notALayout, "\(path) is a file, not an OCI layout directory")
        }
        if !exists || !fileManager.fileExists(atPath: "\(path)/oci-layout") {
            guard create else {
                throw StevedoreError(.notALayout, "\(path) is not an OCI image layout (no oci-layout file)")
            }
            if exists, let contents = try? fileManager.contentsOfDirectory(atPath: path),
               contents.contains(where: { !$0.hasPrefix(".") && !["blobs", "index.json", "oci-layout"].contains($0) }) {
                // `oci-layout` is allowed: another process may have just created the layout here.
                throw StevedoreError(.notALayout, "\(path) exists and is not an OCI image layout; choose an empty or new directory")
            }
            try SystemCalls.makeDirectories(path)
        }
        store = try BlobStore(root: path)
        try withLock {
            if !fileManager.fileExists(atPath: "\(path)/oci-layout") {
                try Self.replace("\(path)/oci-layout", with: Data(Self.layoutFile.utf8))
            }
            if !fileManager.fileExists(atPath: "\(path)/index.json") {
                try Self.replace("\(path)/index.json", with: CanonicalJSON.encode(ImageIndex(manifests: [])))
            }
        }
    }

    /// The layout's `index.json`.
    public func index() throws -> ImageIndex {
        let file = "\(path)/index.json"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw StevedoreError(.invalidIndex, "cannot read \(file)")
        }
        do {
            return try CanonicalJSON.decode(ImageIndex.self, from: data, what: file)
        } catch {
            throw StevedoreError(.invalidIndex, "\(error)")
        }
    }

    /// The descriptor tagged `tag`, or the only one when `tag` is `nil`.
    ///
    /// - Throws: ``StevedoreError`` `tagNotFound` listing the tags present, or `ambiguousTag`.
    public func resolve(tag: String?) throws -> Descriptor {
        // Referrers tags (`sha256-<hex>`) list attached artifacts, not images: they are no candidates.
        let manifests = try index().manifests.filter { !Self.isReferrersEntry($0) || $0.annotations?[AnnotationKey.refName] == tag }
        let tags = manifests.compactMap { $0.annotations?[AnnotationKey.refName] }
        if let tag {
            guard let found = manifests.last(where: { $0.annotations?[AnnotationKey.refName] == tag }) else {
                throw StevedoreError(.tagNotFound, "\(path) has no image tagged '\(tag)' (tags: \(tags.isEmpty ? "none" : tags.sorted().joined(separator: ", ")))")
            }
            return found
        }
        guard manifests.count == 1, let only = manifests.first else {
            if manifests.isEmpty { throw StevedoreError(.tagNotFound, "\(path) holds no image") }
            throw StevedoreError(.ambiguousTag, "\(path) holds \(manifests.count) images; name one as oci-layout:\(path):TAG (tags: \(tags.sorted().joined(separator: ", ")))")
        }
        return only
    }

    /// Records `descriptor` in `index.json` under `tag`, replacing what had that tag.
    ///
    /// With `tag` `nil` the descriptor is added untagged (once).
    public func setTag(_ tag: String?, for descriptor: Descriptor, extraAnnotations: [String: String] = [:]) throws {
        try withLock {
            var index = try self.index()
            var entry = descriptor
            var annotations = entry.annotations ?? [:]
            annotations.merge(extraAnnotations) { _, new in new }
            if let tag { annotations[AnnotationKey.refName] = tag }
            entry.annotations = annotations.isEmpty ? nil : annotations
            if let tag {
                index.manifests.removeAll { $0.annotations?[AnnotationKey.refName] == tag }
            } else {
                index.manifests.removeAll { $0 == entry }
            }
            index.manifests.append(entry)
            try Self.replace("\(path)/index.json", with: CanonicalJSON.encode(index))
        }
    }

    /// Writes a single-platform image's configuration and manifest and tags it.
    ///
    /// The layers must already be in the store.
    /// - Throws: ``StevedoreError`` `blobNotFound` naming a missing layer; nothing is tagged then.
    @discardableResult
    public func write(_ image: Image, tag: String?) throws -> Descriptor {
        for layer in image.manifest.layers where !store.contains(layer.digest) {
            throw StevedoreError(.blobNotFound, "layer \(layer.digest) is not in \(path); the image was not written")
        }
        try store.write(image.configurationData)
        try store.write(image.manifestData)
        var descriptor = image.manifestDescriptor
        descriptor.platform = nil
        try setTag(tag, for: descriptor)
        return descriptor
    }

    /// The image tagged `tag` as an ``ImageSource``.
    public func image(tag: String?) -> LayoutImageSource {
        LayoutImageSource(layout: self, tag: tag)
    }

    func withLock<T>(_ body: () throws -> T) throws -> T {
        try SystemCalls.withExclusiveLock(onDirectory: path, body)
    }

    /// Replaces a small file atomically: temporary file, fsync, rename, fsync of the directory.
    static func replace(_ file: String, with data: Data) throws {
        let directory = (file as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.tmp-\(UUID().uuidString)"
        do {
            let fd = try FileDescriptor.createNew(temporary)
            defer { fd.close() }
            try data.withUnsafeBytes { try fd.writeAll($0) }
            try fd.sync()
            try SystemCalls.rename(temporary, to: file, failure: "cannot replace \(file)")
        } catch {
            SystemCalls.removeFile(temporary)
            throw error
        }
        SystemCalls.syncDirectory(directory)
    }
}

/// One tagged image of an ``OCILayout``, readable as an ``ImageSource``.
public struct LayoutImageSource: ImageSource {
    public let layout: OCILayout
    public let tag: String?

    public var sourceDescription: String { "oci-layout:\(layout.path)" + (tag.map { ":\($0)" } ?? "") }

    public func resolveRoot() async throws -> Descriptor {
        try layout.resolve(tag: tag)
    }

    public func hasBlob(_ digest: Digest) async throws -> Bool {
        layout.store.contains(digest)
    }

    public func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        try await layout.store.readBlob(descriptor, into: consumer)
    }
}
