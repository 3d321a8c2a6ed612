import StevedoreCore

/// Where an image is pushed: one repository and the tags it gets there.
public struct PublishDestination: Hashable, Sendable {
    /// `REGISTRY/PATH`, without tag or digest.
    public var repository: String
    /// The tags, first the one the image is pushed under, then the others.
    public var tags: [String]
    /// Whether the build was made on the default branch (and so, unless dirty, also tagged `latest`).
    public var isDefaultBranch: Bool
    /// With `--platform-tag`, the tags without their platform suffix (`<sha>` for `<sha>-arm64`): the tags the
    /// index over every runner's platform image gets from `stevedore index create`. Empty otherwise.
    public var indexTags: [String]

    /// Creates a destination from its parts.
    public init(repository: String, tags: [String], isDefaultBranch: Bool, indexTags: [String] = []) {
        self.repository = repository
        self.tags = tags
        self.isDefaultBranch = isDefaultBranch
        self.indexTags = indexTags
    }

    /// The suffix `--platform-tag` appends to each tag for an image of `platform`: the architecture, with the
    /// variant where it tells images apart (`amd64`, `arm64`, `arm-v7`).
    public static func platformTagSuffix(_ platform: Platform) -> String {
        let normalized = platform.normalized
        guard let variant = normalized.variant, !(normalized.architecture == "arm64" && variant == "v8") else { return normalized.architecture }
        return "\(normalized.architecture)-\(variant)"
    }

    /// `repository:tag` for the first tag.
    public var primaryReference: String { "\(repository):\(tags.first ?? "latest")" }
}
