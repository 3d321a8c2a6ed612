import StevedoreCore

/// Opens images in registries for reading.
enum RegistrySources {
    static func open(_ reference: ImageReference) throws -> any ImageSource {
        throw OutputError(message: "reading \(reference) from a registry is not wired yet")
    }
}
