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

    /// A host file copied into the image as it is, as an SBOM lists it.
    public struct CopiedFile: Hashable, Sendable {
        /// The file on the host (or in the sysroot), every symbolic link resolved.
        public var hostPath: String
        /// Its absolute path in the image.
        public var imagePath: String

        public init(hostPath: String, imagePath: String) { (self.hostPath, self.imagePath) = (hostPath, imagePath) }
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
    /// The executable, when the image is made of one.
    public var executable: CopiedFile?
    /// The shared libraries and the program interpreter copied in (self-contained images), sorted by image path.
    public var sharedLibraries: [CopiedFile] = []
    /// The root file system the shared libraries were found in: `/` or a sysroot.
    public var libraryRoot = "/"

    public init(platform: Platform, layers: [Layer], settings: ImageSettings, creationTime: Int64) {
        self.platform = platform
        self.layers = layers
        self.settings = settings
        self.creationTime = creationTime
    }
}
