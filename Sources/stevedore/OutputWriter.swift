import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreTarball

/// Writes a built image to an output location and returns the line that names the result.
struct OutputWriter {
    /// The store holding the image's blobs.
    var store: BlobStore

    /// - Returns: e.g. `oci-layout:out:latest@sha256:…`.
    func write(_ image: Image, to location: ImageLocation, extraTags: [String]) async throws -> String {
        switch location {
        case .layout(let path, let tag):
            let layout: OCILayout
            do {
                layout = try OCILayout(path: path)
            } catch let error as LayoutError where error.code == .io {
                throw StevedoreError(.unusableLocation, "cannot create the OCI layout \(path): \(error.message)", cause: error)
            }
            if layout.store.root != store.root {
                for layer in image.manifest.layers { try layout.store.link(layer.digest, from: store) }
            }
            let tags: [String?] = (tag == nil && extraTags.isEmpty) ? [nil] : ([tag].compactMap { $0 } + extraTags)
            for name in tags { try layout.write(image, tag: name) }
            return "\(location)@\(image.manifestDescriptor.digest)"
        case .dockerArchive(let path, let reference):
            var isDirectory: ObjCBool = false
            let directory = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw StevedoreError(.unusableLocation, "cannot write docker-archive:\(path): the directory '\(directory)' does not exist")
            }
            try await DockerArchiveWriter(path: path).write(image, from: store, reference: reference)
            return "\(location)@\(image.manifestDescriptor.digest)"
        case .registry(let reference):
            throw StevedoreError(.unusableLocation, "pushing to \(reference) needs `stevedore build --push \(reference)` or `stevedore push`")
        }
    }
}
