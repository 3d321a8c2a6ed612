import StevedoreCore
import StevedoreLayout

/// Opens the image a location names, for reading.
enum ImageSources {
    static func open(_ location: ImageLocation) throws -> any ImageSource {
        switch location {
        case .layout(let path, let tag):
            return try OCILayout(path: path, create: false).image(tag: tag)
        case .dockerArchive(let path, _):
            throw OutputError(message: "reading docker-archive:\(path) is not supported; load it into an OCI layout with `skopeo copy docker-archive:\(path) oci:DIR:TAG`")
        case .registry(let reference):
            return try RegistrySources.open(reference)
        }
    }
}
