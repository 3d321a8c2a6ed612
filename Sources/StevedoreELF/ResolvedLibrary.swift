/// One file of an executable's shared-library closure: where the loader inside the image will open it, and the
/// host file to copy there.
public struct ResolvedLibrary: Hashable, Sendable, Comparable {
    /// How the loader finds the file.
    public enum Source: String, Hashable, Sendable {
        /// The program interpreter, named by `PT_INTERP`.
        case interpreter
        /// A `DT_NEEDED` entry containing `/`, used as a path.
        case path
        /// A `DT_RPATH` directory of the needing object or of one that loaded it.
        case rPath
        /// A `DT_RUNPATH` directory of the needing object.
        case runPath
        /// A directory listed by `/etc/ld.so.conf`. The loader finds these only through `/etc/ld.so.cache`; an image
        /// without that cache needs the directory in `LD_LIBRARY_PATH` (see
        /// ``SharedLibraryClosure/loaderConfigurationDirectories``).
        case loaderConfiguration
        /// One of the loader's default directories (`/lib/x86_64-linux-gnu`, `/usr/lib`…).
        case defaultDirectory
    }

    /// The absolute path the loader will open inside the image, e.g. `/usr/lib/x86_64-linux-gnu/libz.so.1`.
    public var imagePath: String
    /// A regular file on the host (every symbolic link resolved) whose contents belong at ``imagePath``.
    public var hostPath: String
    /// `DT_SONAME` of the file, when it has one.
    public var soname: String?
    /// The `DT_NEEDED` string (or `PT_INTERP` path) this file satisfies.
    public var neededName: String
    /// The image path of the object whose `DT_NEEDED` first named it (the executable's for direct dependencies).
    public var neededBy: String
    /// How the loader finds it.
    public var source: Source

    /// Creates a resolved library.
    public init(imagePath: String, hostPath: String, soname: String?, neededName: String, neededBy: String, source: Source) {
        self.imagePath = imagePath
        self.hostPath = hostPath
        self.soname = soname
        self.neededName = neededName
        self.neededBy = neededBy
        self.source = source
    }

    /// Orders by ``imagePath``.
    public static func < (lhs: ResolvedLibrary, rhs: ResolvedLibrary) -> Bool { lhs.imagePath < rhs.imagePath }
}
