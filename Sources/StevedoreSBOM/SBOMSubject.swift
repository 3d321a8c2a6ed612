import StevedoreCore

/// What a build knows about the image its SBOM describes, before anything is read: the image's digests and the
/// host files that were copied into it, and the Swift packages it was built from. ``InventoryCollector`` reads the
/// rest (hashes, dpkg, the Swift toolchain).
public struct SBOMSubject: Hashable, Sendable {
    /// A host file copied into the image.
    public struct CopiedFile: Hashable, Sendable {
        /// The file on the host (or in the sysroot), every symbolic link resolved.
        public var hostPath: String
        /// Where it is in the image.
        public var imagePath: String

        /// Creates a copied file.
        public init(hostPath: String, imagePath: String) {
            self.hostPath = hostPath
            self.imagePath = imagePath
        }
    }

    /// One platform's image.
    public struct PlatformImage: Hashable, Sendable {
        /// The image's platform.
        public var platform: Platform
        /// The digest of its manifest.
        public var manifestDigest: Digest
        /// The executable, if the image has one.
        public var executable: CopiedFile?
        /// The shared libraries and the program interpreter copied into the image.
        public var sharedLibraries: [CopiedFile]
        /// The root file system the libraries were found in (`/` or a `--sysroot`); its dpkg database owns them.
        public var libraryRoot: String
        /// The image it was built on (`--from`), if any.
        public var base: ImageInventory.BaseImage?

        /// Creates a platform image.
        public init(
            platform: Platform, manifestDigest: Digest, executable: CopiedFile?, sharedLibraries: [CopiedFile], libraryRoot: String = "/",
            base: ImageInventory.BaseImage? = nil
        ) {
            self.platform = platform
            self.manifestDigest = manifestDigest
            self.executable = executable
            self.sharedLibraries = sharedLibraries
            self.libraryRoot = libraryRoot
            self.base = base
        }
    }

    /// The image's name, e.g. the repository it is pushed to or the executable's name.
    public var name: String
    /// The digest of the root: the image's manifest or the index.
    public var digest: Digest
    /// Whether the root is an index.
    public var isIndex: Bool
    /// One per platform.
    public var images: [PlatformImage]
    /// The Swift packages the executable was built from (``PackageResolved``), if known.
    public var swiftPackages: [SwiftPackage]
    /// SOURCE_DATE_EPOCH.
    public var creationTime: Int64

    /// Creates a subject.
    public init(
        name: String, digest: Digest, isIndex: Bool, images: [PlatformImage],
        swiftPackages: [SwiftPackage] = [], creationTime: Int64
    ) {
        self.name = name
        self.digest = digest
        self.isIndex = isIndex
        self.images = images
        self.swiftPackages = swiftPackages
        self.creationTime = creationTime
    }
}
