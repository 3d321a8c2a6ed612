import StevedoreArchive
import StevedoreCore

/// Everything an image is made of before any byte is written: layers as file trees, settings, platform, time.
public struct ImageRecipe: Sendable {
    /// One layer to write, with the `created_by` text its history entry gets.
    public struct Layer: Sendable {
        public var tree: FileTree
        public var createdBy: String

        public init(tree: FileTree, createdBy: String) { (self.tree, self.createdBy) = (tree, createdBy) }
    }

    public var platform: Platform
    public var layers: [Layer]
    public var settings: ImageSettings
    /// Seconds since the epoch for `created`, history and file times (SOURCE_DATE_EPOCH).
    public var creationTime: Int64
    /// Environment set when the image is built from scratch (e.g. `PATH`); the user's `--env` wins.
    public var defaultEnvironment: [EnvironmentVariable] = []
    /// The user set when the image is built from scratch; `--user` wins.
    public var defaultUser: String?

    public init(platform: Platform, layers: [Layer], settings: ImageSettings, creationTime: Int64) {
        self.platform = platform
        self.layers = layers
        self.settings = settings
        self.creationTime = creationTime
    }
}
