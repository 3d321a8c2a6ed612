import StevedoreCore
import StevedoreLayout
import StevedoreRegistry

/// Opens the image a location names, for reading.
enum ImageSources {
    /// - Parameter client: the client for registry locations; `nil` when none is needed.
    static func open(_ location: ImageLocation, client: RegistryClient?) throws -> any ImageSource {
        switch location {
        case .layout(let path, let tag):
            return try OCILayout(path: path, create: false).image(tag: tag)
        case .dockerArchive(let path, _):
            throw StevedoreError(.unusableLocation, "reading docker-archive:\(path) is not supported; load it into an OCI layout with `skopeo copy docker-archive:\(path) oci:DIR:TAG`")
        case .registry(let reference):
            guard let client else { throw StevedoreError(.unusableLocation, "reading \(reference) needs a registry client") }
            return RegistryImageSource(client: client, reference: reference.withDefaultTag)
        }
    }
}
