/// Everything the dynamic loader opens to start an executable: the interpreter and every shared library, found
/// recursively, each with its path inside the image and the host file to copy there.
public struct SharedLibraryClosure: Hashable, Sendable {
    /// A symbolic link the image should contain so that the loader finds a library through the directory named
    /// in a `DT_RUNPATH` or `DT_RPATH` (e.g. `/opt/swift` → `swift-6.1` when the host's run path passes a link).
    public struct Symlink: Hashable, Sendable, Comparable {
        /// The link's absolute path inside the image.
        public var path: String
        /// The link's target exactly as on the host (relative or absolute).
        public var target: String

        /// Creates a symbolic link description.
        public init(path: String, target: String) { (self.path, self.target) = (path, target) }

        public static func < (lhs: Symlink, rhs: Symlink) -> Bool { lhs.path < rhs.path }
    }

    /// The executable that was examined.
    public var executable: ELFFile
    /// The path the executable is given inside the image (its `$ORIGIN` is this path's directory).
    public var executableImagePath: String
    /// The program interpreter (`PT_INTERP`), `nil` for a static executable.
    public var interpreter: ResolvedLibrary?
    /// The shared libraries, deduplicated by image path and sorted by it. Does not contain the interpreter.
    public var libraries: [ResolvedLibrary]
    /// Links the image should contain so that run-path directories resolve as on the host; sorted by path.
    public var symlinks: [Symlink]

    /// Creates a closure.
    public init(executable: ELFFile, executableImagePath: String, interpreter: ResolvedLibrary?, libraries: [ResolvedLibrary], symlinks: [Symlink]) {
        self.executable = executable
        self.executableImagePath = executableImagePath
        self.interpreter = interpreter
        self.libraries = libraries
        self.symlinks = symlinks
    }

    /// The interpreter and the libraries together, sorted by image path: the files to copy into the image.
    public var files: [ResolvedLibrary] {
        ((interpreter.map { [$0] } ?? []) + libraries).sorted()
    }

    /// Image directories of libraries that only `/etc/ld.so.conf` (through `/etc/ld.so.cache`) leads to: an image
    /// without that cache must list them in `LD_LIBRARY_PATH` (or run `ldconfig`). Sorted, without duplicates.
    public var loaderConfigurationDirectories: [String] {
        // A directory the loader searches by default needs no LD_LIBRARY_PATH, even when ld.so.conf lists it too.
        let defaults = Set(executable.defaultLibraryDirectories)
        return Set(libraries.filter { $0.source == .loaderConfiguration }.map { FileSystemRoot.directory(of: $0.imagePath) })
            .subtracting(defaults).sorted()
    }
}
