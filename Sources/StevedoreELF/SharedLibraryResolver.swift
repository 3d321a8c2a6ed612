import Foundation
import StevedoreCore

/// Finds every file the dynamic loader opens to start an executable, without running it: the program interpreter
/// and, recursively, each `DT_NEEDED` library, searched for the way glibc's `ld.so` searches.
///
/// For each object's dependencies the directories are, in order:
/// 1. when the object has no `DT_RUNPATH`: the `DT_RPATH` of the object, then of the object that loaded it, and so
///    on up to the executable (an object with a `DT_RUNPATH` contributes no `DT_RPATH`);
/// 2. *not* `LD_LIBRARY_PATH`: it describes the machine doing the build, not the image, so it is deliberately
///    ignored;
/// 3. the object's `DT_RUNPATH`;
/// 4. unless the object has `DF_1_NODEFLIB`: the directories of `/etc/ld.so.conf` (what `ld.so.cache` indexes),
///    then the loader's default directories (``ELFFile/defaultLibraryDirectories``).
///
/// `$ORIGIN`/`${ORIGIN}` (the directory of the object needing the library), `$LIB` and `$PLATFORM` are expanded;
/// relative run-path entries (relative to the working directory at run time) are skipped. A candidate counts only
/// if it is an ELF shared object of the executable's class, byte order and machine; others are skipped, as the
/// loader skips them. A `DT_NEEDED` name containing `/` is used as a path. A name the loader has already loaded
/// (a `DT_NEEDED` name or `DT_SONAME` of an earlier object, or the interpreter's) is not searched again.
/// `glibc-hwcaps` and legacy hardware-capability subdirectories are not searched: the baseline library in the
/// directory itself works on every CPU.
///
/// Image paths: a library found in a directory gets the image path *that directory with its symbolic links
/// resolved* + the `DT_NEEDED` name, so that on a merged-`/usr` host `/lib/x86_64-linux-gnu` becomes
/// `/usr/lib/x86_64-linux-gnu`, which the loader also searches; the host path is the real file behind it. The
/// interpreter keeps its `PT_INTERP` path verbatim. Libraries found through `$ORIGIN` of the executable are placed
/// relative to the executable's image path.
public struct SharedLibraryResolver: Sendable {
    /// Where to look and what the loader substitutes.
    public struct Configuration: Hashable, Sendable {
        /// The host directory that plays `/` for every absolute path (run paths, `ld.so.conf`, default directories,
        /// the interpreter); `/` for the host's own libraries, or an unpacked root file system (a sysroot).
        public var root: String
        /// The loader configuration file, inside ``root``.
        public var loaderConfigurationPath: String
        /// Replaces ``ELFFile/defaultLibraryDirectories`` when set.
        public var defaultDirectories: [String]?
        /// Replaces ``ELFFile/loaderLibraryDirectoryName`` for `$LIB` when set.
        public var libraryDirectoryName: String?
        /// Replaces ``ELFFile/loaderPlatformName`` for `$PLATFORM` when set.
        public var platformName: String?

        /// Creates a configuration; the defaults describe the host.
        public init(
            root: String = "/", loaderConfigurationPath: String = "/etc/ld.so.conf", defaultDirectories: [String]? = nil,
            libraryDirectoryName: String? = nil, platformName: String? = nil
        ) {
            self.root = root
            self.loaderConfigurationPath = loaderConfigurationPath
            self.defaultDirectories = defaultDirectories
            self.libraryDirectoryName = libraryDirectoryName
            self.platformName = platformName
        }
    }

    /// Where to look and what the loader substitutes.
    public var configuration: Configuration

    /// The most objects one closure may hold; a real program has at most a few hundred.
    static let maximumObjectCount = 10_000

    /// Creates a resolver.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Resolves the closure of the executable at `path`.
    ///
    /// - Parameters:
    ///   - path: the executable on the host.
    ///   - imagePath: where the executable will be inside the image; it fixes what `$ORIGIN` means for the
    ///     executable. Defaults to its real path (relative to ``Configuration/root`` when it lies inside it).
    /// - Throws: ``StevedoreError``: any error of ``ELFFile/init(path:)`` for the executable; `interpreterNotFound`;
    ///   `libraryNotFound` naming the library, who needs it and the directories searched; `unsupportedLibraryPath`;
    ///   `symlinkLoop`; `unreadable` for an unreadable `ld.so.conf`.
    public func resolve(executable path: String, imagePath: String? = nil) throws -> SharedLibraryClosure {
        try resolve(executable: try ELFFile(path: path), imagePath: imagePath)
    }

    /// Resolves the closure of an executable already read with ``ELFFile/init(path:)`` (its ``ELFFile/path`` is
    /// where the file is on the host).
    ///
    /// - Parameter imagePath: where the executable will be inside the image (as for the variant taking a path).
    /// - Throws: as the variant taking a path, except for the errors of reading the executable.
    public func resolve(executable: ELFFile, imagePath: String? = nil) throws -> SharedLibraryClosure {
        let path = executable.path
        let hostRoot = FileSystemRoot(hostDirectory: "/")
    /// The default directories with their symbolic links resolved inside the root.
    let resolvedDefaultDirectories: Set<String>
        let absolute = path.hasPrefix("/") ? path : FileSystemRoot.join(FileManager.default.currentDirectoryPath, path)
        let realExecutable = try hostRoot.resolve(absolute)?.path ?? FileSystemRoot.lexicallyNormalized(absolute)
        var session = ResolutionSession(
            resolver: self,
            executable: executable,
            root: FileSystemRoot(hostDirectory: configuration.root),
            loaderConfigurationDirectories: try LoaderConfiguration(root: configuration.root, path: configuration.loaderConfigurationPath).directories
        )
        return try session.run(realExecutable: realExecutable, imagePath: imagePath)
    }
}

/// The state of one `SharedLibraryResolver.resolve(executable:imagePath:)` call: objects loaded so far, in the
/// breadth-first order the loader loads them.
private struct ResolutionSession {
    /// A directory: where the loader in the image looks, and, when that is not the same place inside the root,
    /// where the files are on the host.
    struct Origin {
        var imageDirectory: String
        var hostDirectory: String?
    }

    struct SearchDirectory: Hashable {
        var imageDirectory: String
        var hostDirectory: String?
        var label: String
    }

    struct LoadedObject {
        var file: ELFFile
        var imagePath: String
        var origin: Origin
        var loader: Int?
    }

    struct Candidate {
        var library: ResolvedLibrary
        var file: ELFFile
        var origin: Origin
        var links: [FileSystemRoot.Link]
    }

    let resolver: SharedLibraryResolver
    let executable: ELFFile
    let root: FileSystemRoot
    let loaderConfigurationDirectories: [String]
    let hostRoot = FileSystemRoot(hostDirectory: "/")
    /// The default directories with their symbolic links resolved inside the root.
    let resolvedDefaultDirectories: Set<String>

    var objects: [LoadedObject] = []
    var objectByName: [String: Int] = [:]
    var objectByHostPath: [String: Int] = [:]
    var interpreterNames: Set<String> = []
    var libraries: [String: ResolvedLibrary] = [:]
    var symlinks: Set<SharedLibraryClosure.Symlink> = []

    init(resolver: SharedLibraryResolver, executable: ELFFile, root: FileSystemRoot, loaderConfigurationDirectories: [String]) {
        self.resolver = resolver
        self.executable = executable
        self.root = root
        self.loaderConfigurationDirectories = loaderConfigurationDirectories
        let defaults = resolver.configuration.defaultDirectories ?? executable.defaultLibraryDirectories
        resolvedDefaultDirectories = Set(defaults.compactMap { try? root.resolve($0)?.path })
    }

    var libraryDirectoryName: String { resolver.configuration.libraryDirectoryName ?? executable.loaderLibraryDirectoryName }
    var platformName: String { resolver.configuration.platformName ?? executable.loaderPlatformName }
    var defaultDirectories: [String] { resolver.configuration.defaultDirectories ?? executable.defaultLibraryDirectories }
    var rootNote: String { root.hostDirectory == "/" ? "" : " inside root '\(root.hostDirectory)'" }

    mutating func run(realExecutable: String, imagePath: String?) throws -> SharedLibraryClosure {
        let insideRoot = root.pathInside(hostPath: realExecutable)
        let executableImagePath = FileSystemRoot.lexicallyNormalized(imagePath ?? insideRoot ?? realExecutable)
        let imageDirectory = FileSystemRoot.directory(of: executableImagePath)
        let origin = Origin(
            imageDirectory: imageDirectory,
            hostDirectory: insideRoot == executableImagePath ? nil : FileSystemRoot.directory(of: realExecutable)
        )
        objects = [LoadedObject(file: executable, imagePath: executableImagePath, origin: origin, loader: nil)]
        objectByHostPath[realExecutable] = 0
        if let soname = executable.soname { objectByName[soname] = 0 }

        let interpreter = try executable.interpreter.map { try resolveInterpreter($0, neededBy: executableImagePath) }

        var next = 0
        while next < objects.count {
            guard objects.count <= SharedLibraryResolver.maximumObjectCount else {
                throw StevedoreError(.corrupt, "'\(executable.path)' needs more than \(SharedLibraryResolver.maximumObjectCount) shared libraries; something is wrong with the libraries found")
            }
            let current = next
            next += 1
            for needed in objects[current].file.neededLibraries {
                if objectByName[needed] != nil || interpreterNames.contains(needed) { continue }
                let candidate = try find(needed, loader: current)
                if libraries[candidate.library.imagePath] == nil { libraries[candidate.library.imagePath] = candidate.library }
                if [.rPath, .runPath, .path].contains(candidate.library.source) {
                    for link in candidate.links { symlinks.insert(SharedLibraryClosure.Symlink(path: link.path, target: link.target)) }
                }
                if let existing = objectByHostPath[candidate.library.hostPath] {
                    objectByName[needed] = existing
                    continue
                }
                let index = objects.count
                objects.append(LoadedObject(file: candidate.file, imagePath: candidate.library.imagePath, origin: candidate.origin, loader: current))
                objectByHostPath[candidate.library.hostPath] = index
                objectByName[needed] = index
                if let soname = candidate.file.soname, objectByName[soname] == nil { objectByName[soname] = index }
            }
        }
        return SharedLibraryClosure(
            executable: executable,
            executableImagePath: executableImagePath,
            interpreter: interpreter,
            libraries: libraries.values.sorted(),
            symlinks: symlinks.sorted()
        )
    }

    mutating func resolveInterpreter(_ interpreter: String, neededBy: String) throws -> ResolvedLibrary {
        let failure = "the program interpreter '\(interpreter)' named by '\(executable.path)'"
        guard interpreter.hasPrefix("/"), let resolved = try root.resolve(interpreter), root.isRegularFile(resolved.path) else {
            throw StevedoreError(.interpreterNotFound, "\(failure) does not exist\(rootNote); the program was built for a C library (or an architecture) that is not installed here")
        }
        let hostPath = root.hostPath(resolved.path)
        let file: ELFFile
        do {
            file = try ELFFile(path: hostPath)
        } catch let error as StevedoreError {
            throw StevedoreError(.interpreterNotFound, "\(failure) is not usable: \(error.message)")
        }
        if let mismatch = incompatibility(of: file) {
            throw StevedoreError(.interpreterNotFound, "\(failure) at '\(hostPath)' \(mismatch)")
        }
        interpreterNames.insert(interpreter)
        interpreterNames.insert(String(interpreter.split(separator: "/").last ?? Substring(interpreter)))
        if let soname = file.soname { interpreterNames.insert(soname) }
        return ResolvedLibrary(imagePath: interpreter, hostPath: hostPath, soname: file.soname, neededName: interpreter, neededBy: neededBy, source: .interpreter)
    }

    /// Why `file` cannot be loaded into the executable, or `nil` when it can.
    func incompatibility(of file: ELFFile) -> String? {
        let wanted = "ELF\(executable.elfClass.bits) \(executable.machine) \(executable.dataEncoding == .littleEndian ? "little-endian" : "big-endian")"
        let found = "ELF\(file.elfClass.bits) \(file.machine) \(file.dataEncoding == .littleEndian ? "little-endian" : "big-endian")"
        if file.elfClass != executable.elfClass || file.machine != executable.machine || file.dataEncoding != executable.dataEncoding {
            return "is \(found), not \(wanted)"
        }
        if file.fileType != .sharedObject { return "is not a shared object" }
        return nil
    }

    /// Finds `needed` for the object at `loader`, as the loader would.
    func find(_ needed: String, loader: Int) throws -> Candidate {
        let object = objects[loader]
        if needed.contains("/") {
            let expanded = expand(needed, origin: object.origin.imageDirectory)
            guard expanded.hasPrefix("/") else {
                throw StevedoreError(.unsupportedLibraryPath, "'\(object.imagePath)' needs '\(needed)', a relative path the loader opens from the working directory at run time; relink it with an absolute path or a plain library name")
            }
            let usesOrigin = needed.contains("$ORIGIN") || needed.contains("${ORIGIN}")
            let hostDirectory = object.origin.hostDirectory.flatMap { hostOrigin in
                usesOrigin ? FileSystemRoot.directory(of: expand(needed, origin: hostOrigin)) : nil
            }
            let directory = SearchDirectory(imageDirectory: FileSystemRoot.directory(of: expanded), hostDirectory: hostDirectory, label: "DT_NEEDED path")
            var skipped: [String] = []
            let name = String(expanded.split(separator: "/").last ?? "")
            if let candidate = try candidate(name, in: directory, needed: needed, neededBy: object.imagePath, source: .path, skipped: &skipped) {
                return candidate
            }
            throw notFound(needed, by: object, searched: [directory], skipped: skipped)
        }
        var directories: [(SearchDirectory, ResolvedLibrary.Source)] = []
        if object.file.runPath.isEmpty {
            var current: Int? = loader
            var steps = 0
            while let index = current, steps <= objects.count {
                let owner = objects[index]
                if owner.file.runPath.isEmpty {
                    directories += runPathDirectories(owner.file.rPath, of: owner, label: "DT_RPATH of \(owner.imagePath)").map { ($0, .rPath) }
                }
                current = owner.loader
                steps += 1
            }
        }
        directories += runPathDirectories(object.file.runPath, of: object, label: "DT_RUNPATH of \(object.imagePath)").map { ($0, .runPath) }
        if !object.file.ignoresDefaultLibraryDirectories {
            directories += loaderConfigurationDirectories.map { (SearchDirectory(imageDirectory: $0, hostDirectory: nil, label: resolver.configuration.loaderConfigurationPath), .loaderConfiguration) }
            directories += defaultDirectories.map { (SearchDirectory(imageDirectory: $0, hostDirectory: nil, label: "default directories"), .defaultDirectory) }
        }
        var seen = Set<SearchDirectory>()
        directories = directories.filter { seen.insert(SearchDirectory(imageDirectory: $0.0.imageDirectory, hostDirectory: $0.0.hostDirectory, label: "")).inserted }
        var skipped: [String] = []
        for (directory, source) in directories {
            if var candidate = try candidate(needed, in: directory, needed: needed, neededBy: object.imagePath, source: source, skipped: &skipped) {
                // ld.so.conf usually repeats default directories; those need no ld.so.cache in the image.
                if source == .loaderConfiguration, resolvedDefaultDirectories.contains(candidate.origin.imageDirectory) {
                    candidate.library.source = .defaultDirectory
                }
                return candidate
            }
        }
        throw notFound(needed, by: object, searched: directories.map(\.0), skipped: skipped)
    }

    /// The search directories of a `DT_RPATH` or `DT_RUNPATH` list, expanded for `owner`.
    func runPathDirectories(_ entries: [String], of owner: LoadedObject, label: String) -> [SearchDirectory] {
        entries.compactMap { entry in
            let image = expand(entry, origin: owner.origin.imageDirectory)
            guard image.hasPrefix("/") else { return nil }
            let usesOrigin = entry.contains("$ORIGIN") || entry.contains("${ORIGIN}")
            guard usesOrigin, let hostOrigin = owner.origin.hostDirectory else {
                return SearchDirectory(imageDirectory: image, hostDirectory: nil, label: label)
            }
            return SearchDirectory(imageDirectory: image, hostDirectory: expand(entry, origin: hostOrigin), label: label)
        }
    }

    /// Replaces the loader's dynamic string tokens in `text`.
    func expand(_ text: String, origin: String) -> String {
        guard text.contains("$") else { return text }
        let values = ["ORIGIN": origin, "LIB": libraryDirectoryName, "PLATFORM": platformName]
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let rest = text[text.index(after: index)...]
            var matched = false
            for (name, value) in values {
                if rest.hasPrefix("{\(name)}") {
                    result += value
                    index = text.index(index, offsetBy: name.count + 3)
                    matched = true
                    break
                }
                if rest.hasPrefix(name) {
                    let after = rest.dropFirst(name.count).first
                    if after.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true {
                        result += value
                        index = text.index(index, offsetBy: name.count + 1)
                        matched = true
                        break
                    }
                }
            }
            if !matched {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    /// The library `name` in `directory` if it exists and suits the executable; reasons for rejecting files go to
    /// `skipped`.
    func candidate(_ name: String, in directory: SearchDirectory, needed: String, neededBy: String, source: ResolvedLibrary.Source, skipped: inout [String]) throws -> Candidate? {
        let imagePath: String
        let hostPath: String
        let origin: Origin
        var links: [FileSystemRoot.Link] = []
        if let hostDirectory = directory.hostDirectory {
            guard let resolvedDirectory = try hostRoot.resolve(hostDirectory),
                  let resolvedFile = try hostRoot.resolve(FileSystemRoot.join(resolvedDirectory.path, name)),
                  hostRoot.isRegularFile(resolvedFile.path) else { return nil }
            let imageDirectory = FileSystemRoot.lexicallyNormalized(directory.imageDirectory)
            imagePath = FileSystemRoot.join(imageDirectory, name)
            hostPath = resolvedFile.path
            origin = Origin(imageDirectory: imageDirectory, hostDirectory: resolvedDirectory.path)
        } else {
            guard let resolvedDirectory = try root.resolve(directory.imageDirectory),
                  let resolvedFile = try root.resolve(FileSystemRoot.join(resolvedDirectory.path, name)),
                  root.isRegularFile(resolvedFile.path) else { return nil }
            imagePath = FileSystemRoot.join(resolvedDirectory.path, name)
            hostPath = root.hostPath(resolvedFile.path)
            origin = Origin(imageDirectory: resolvedDirectory.path, hostDirectory: nil)
            links = resolvedDirectory.links
        }
        let file: ELFFile
        do {
            file = try ELFFile(path: hostPath)
        } catch let error as StevedoreError {
            skipped.append(error.message)
            return nil
        }
        if let mismatch = incompatibility(of: file) {
            skipped.append("'\(hostPath)' \(mismatch)")
            return nil
        }
        let library = ResolvedLibrary(imagePath: imagePath, hostPath: hostPath, soname: file.soname, neededName: needed, neededBy: neededBy, source: source)
        return Candidate(library: library, file: file, origin: origin, links: links)
    }

    func notFound(_ needed: String, by object: LoadedObject, searched: [SearchDirectory], skipped: [String]) -> StevedoreError {
        var groups: [(label: String, directories: [String])] = []
        for directory in searched {
            let shown = directory.hostDirectory.map { "\(directory.imageDirectory) (host: \($0))" } ?? directory.imageDirectory
            if let last = groups.last, last.label == directory.label {
                groups[groups.count - 1].directories.append(shown)
            } else {
                groups.append((directory.label, [shown]))
            }
        }
        let searchedText = groups.isEmpty ? "no directories" : groups.map { "\($0.directories.joined(separator: ", ")) (\($0.label))" }.joined(separator: "; ")
        let skippedText = skipped.isEmpty ? "" : " Skipped unsuitable files: \(skipped.joined(separator: "; "))."
        return StevedoreError(.libraryNotFound, "shared library '\(needed)', needed by '\(object.imagePath)', was not found\(rootNote). Searched: \(searchedText).\(skippedText) Install the library on this machine (or into the root), or link the program statically.")
    }
}
