import StevedoreCore

/// Everything an SBOM says about an image, gathered (``InventoryCollector``) and ready to be encoded
/// (``document(format:)``): the image or index, per platform the executable and the copied shared libraries with
/// the Debian packages that own them, the Swift runtime and the base image; the Swift packages.
public struct ImageInventory: Hashable, Sendable {
    /// A file copied into the image, with its digest and owner.
    public struct File: Hashable, Sendable, Comparable {
        /// The absolute path inside the image, e.g. `/usr/lib/x86_64-linux-gnu/libz.so.1`.
        public var imagePath: String
        /// The `sha256` of its contents.
        public var sha256: Digest
        /// The Debian package that installed it on the build host (or sysroot), if dpkg knows it.
        public var debianPackage: DebianPackage?

        /// Creates a file record.
        public init(imagePath: String, sha256: Digest, debianPackage: DebianPackage? = nil) {
            self.imagePath = imagePath
            self.sha256 = sha256
            self.debianPackage = debianPackage
        }

        /// The last path component.
        public var name: String { imagePath.split(separator: "/").last.map(String.init) ?? imagePath }

        public static func < (lhs: File, rhs: File) -> Bool { lhs.imagePath < rhs.imagePath }
    }

    /// One platform's image.
    public struct PlatformImage: Hashable, Sendable {
        /// The image's platform.
        public var platform: Platform
        /// The digest of the image's manifest.
        public var manifestDigest: Digest
        /// The executable (the entrypoint), if the image has one.
        public var executable: File?
        /// The shared libraries (and the program interpreter) copied into the image, sorted by image path.
        public var libraries: [File]
        /// The Swift runtime, when the executable is a Swift program.
        public var swiftRuntime: SwiftRuntime?
        /// The image this one was built on (`--from`), if any.
        public var base: BaseImage?

        /// Creates a platform image record.
        public init(platform: Platform, manifestDigest: Digest, executable: File?, libraries: [File], swiftRuntime: SwiftRuntime?, base: BaseImage? = nil) {
            self.platform = platform
            self.manifestDigest = manifestDigest
            self.executable = executable
            self.libraries = libraries
            self.swiftRuntime = swiftRuntime
            self.base = base
        }
    }

    /// The image the build started from (`--from`).
    public struct BaseImage: Hashable, Sendable {
        /// The base as the user named it, e.g. `docker.io/library/debian:12` or `oci-layout:base:latest`.
        public var name: String
        /// The digest of its manifest (of the platform built on).
        public var digest: Digest

        /// Creates a base image record.
        public init(name: String, digest: Digest) {
            self.name = name
            self.digest = digest
        }
    }

    /// The image's name: the repository it is pushed to, else the executable's name.
    public var name: String
    /// The digest of the root: the image's manifest, or the index.
    public var digest: Digest
    /// Whether the root is an index over ``images``.
    public var isIndex: Bool
    /// One entry per platform image, in the index's order.
    public var images: [PlatformImage]
    /// The Swift packages the executable was built from, sorted by identity.
    public var swiftPackages: [SwiftPackage]
    /// SOURCE_DATE_EPOCH: the document's creation time.
    public var creationTime: Int64

    /// Creates an inventory.
    public init(name: String, digest: Digest, isIndex: Bool, images: [PlatformImage], swiftPackages: [SwiftPackage], creationTime: Int64) {
        self.name = name
        self.digest = digest
        self.isIndex = isIndex
        self.images = images
        self.swiftPackages = swiftPackages
        self.creationTime = creationTime
    }
}

extension ImageInventory {
    /// The inventory as a document in `format`.
    ///
    /// - Throws: An encoding error (not expected: every value is encodable).
    public func document(format: SBOMFormat) throws -> GeneratedSBOM {
        switch format {
        case .spdx: GeneratedSBOM(format: format, bytes: try SBOMEncoding.encode(spdxDocument))
        case .cyclonedx: GeneratedSBOM(format: format, bytes: try SBOMEncoding.encode(cycloneDXDocument))
        }
    }
}
