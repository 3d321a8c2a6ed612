import StevedoreCore

/// What the user asked for explicitly when building or pushing a package's image; empty values mean "derive it".
public struct PublishOptions: Hashable, Sendable {
    /// `--repository`: where to push, `REGISTRY/PATH` without a tag.
    public var repository: String?
    /// `--tag`, in the order given.
    public var tags: [ImageTag]
    /// `--source-date-epoch`: the timestamp written into the image.
    public var sourceDateEpoch: Int64?
    /// `--default-branch`: the branch whose builds are also tagged `latest`.
    public var defaultBranch: String?
    /// `--platform-tag`: push under `<tag>-<arch>` instead of each `<tag>` (one runner of a CI matrix, whose
    /// platform images a last job joins with `stevedore index create`).
    public var platformTag: Bool

    /// Creates options; every value defaults to "derive it".
    public init(repository: String? = nil, tags: [ImageTag] = [], sourceDateEpoch: Int64? = nil, defaultBranch: String? = nil, platformTag: Bool = false) {
        self.repository = repository
        self.tags = tags
        self.sourceDateEpoch = sourceDateEpoch
        self.defaultBranch = defaultBranch
        self.platformTag = platformTag
    }
}
