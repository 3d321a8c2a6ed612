import ArgumentParser
import StevedoreArchive
import StevedoreCore

// The image model's values are parsed where they enter: a flag or argument holds the typed value, and a value that
// does not parse is a usage error naming the flag, with the model's own explanation (`transform:` keeps it; the
// conformances below serve defaults and completions).

extension ImageTag: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(argument) }
}

extension ImageReference: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension ImageLocation: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension Platform: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// Parsers for `@Option(transform:)` and `@Argument(transform:)` that keep the model's messages.
enum Parse {
    static func tag(_ text: String) throws -> ImageTag { try ImageTag(text) }
    static func location(_ text: String) throws -> ImageLocation { try ImageLocation(parsing: text) }
    static func platform(_ text: String) throws -> Platform { try Platform(parsing: text) }
    static func compression(_ text: String) throws -> LayerCompression { try LayerCompression(parsing: text) }

    /// A registry reference, with or without `docker://`.
    static func reference(_ text: String) throws -> ImageReference {
        guard case .registry(let reference) = try ImageLocation(parsing: text) else {
            throw ValidationError("'\(text)' is not a registry reference; expected REGISTRY/REPOSITORY[:TAG]")
        }
        return reference
    }
}
