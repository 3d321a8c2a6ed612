/// Where an image is pushed: one repository and the tags it gets there.
public struct PublishDestination: Hashable, Sendable {
    /// `REGISTRY/PATH`, without tag or digest.
    public var repository: String
    /// The tags, first the one the image is pushed under, then the others.
    public var tags: [String]
    /// Whether the build was made on the default branch (and so, unless dirty, also tagged `latest`).
    public var isDefaultBranch: Bool

    /// Creates a destination from its parts.
    public init(repository: String, tags: [String], isDefaultBranch: Bool) {
        self.repository = repository
        self.tags = tags
        self.isDefaultBranch = isDefaultBranch
    }

    /// `repository:tag` for the first tag.
    public var primaryReference: String { "\(repository):\(tags.first ?? "latest")" }
}
