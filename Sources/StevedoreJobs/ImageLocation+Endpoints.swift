import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreRegistry
import StevedoreTarball

extension ImageLocation {
    /// The image this location names, for reading.
    ///
    /// - Parameter client: the client for a registry location; `nil` when none was made.
    /// - Throws: ``StevedoreError`` `unusableLocation` for a docker-archive (outputs only); ``StevedoreError`` for a missing layout.
    public func source(client: RegistryClient?) throws -> any ImageSource {
        switch self {
        case .layout(let path, let tag):
            return try OCILayout(path: path, create: false).image(tag: tag)
        case .dockerArchive(let path, _):
            throw StevedoreError(.unusableLocation, "reading docker-archive:\(path) is not supported; load it into an OCI layout with `skopeo copy docker-archive:\(path) oci:DIR:TAG`")
        case .registry(let reference):
            guard let client else { throw StevedoreError(.unusableLocation, "reading \(reference) needs a registry client") }
            return RegistryImageSource(client: client, reference: reference.withDefaultTag)
        }
    }

    /// Where to write an image at this location, with `extraTags` set too.
    ///
    /// - Throws: ``StevedoreError`` `unusableLocation` when a layout cannot be created or a docker-archive's directory is missing.
    public func destination(client: RegistryClient?, extraTags: [ImageTag] = []) throws -> any ImageDestination {
        switch self {
        case .layout(let path, let tag):
            let layout: OCILayout
            do {
                layout = try OCILayout(path: path)
            } catch let error as StevedoreError where error.code == .io {
                throw StevedoreError(.unusableLocation, "cannot create the OCI layout \(path): \(error.message)", cause: error)
            }
            return layout.destination(tags: try (tag.map { [try ImageTag($0)] } ?? []) + extraTags)
        case .dockerArchive(let path, let reference):
            var isDirectory: ObjCBool = false
            let directory = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw StevedoreError(.unusableLocation, "cannot write docker-archive:\(path): the directory '\(directory)' does not exist")
            }
            return DockerArchiveDestination(path: path, reference: reference)
        case .registry(let reference):
            guard let client else { throw StevedoreError(.unusableLocation, "writing \(reference) needs a registry client") }
            return RegistryImageDestination(client: client, reference: reference, additionalTags: extraTags)
        }
    }
}
