import Foundation
import Logging
import StevedoreArchive
import StevedoreCore
import StevedoreELF

/// Turns an ELF executable (and optional resources) into the layers of a self-contained image.
///
/// The layers are ordered from the least to the most often changed, so that a rebuild after a code
/// change re-uses the first ones byte for byte:
/// 1. the shared libraries the executable needs (read from its dynamic section, never by running it) and
///    the system files (``SystemFiles``) — only when the image is self-contained;
/// 2. the `--add` resources, when there are any;
/// 3. the executable, at `/usr/local/bin/NAME`.
public struct ExecutableImagePlanner: Sendable {
    /// The executable on the host.
    public var executablePath: String
    /// Resources to copy in.
    public var additions: [Addition]
    /// Whether to add the runtime libraries and system files (true for `--from scratch`).
    public var selfContained: Bool
    /// The platform the user asked for, checked against the executable's.
    public var requestedPlatform: Platform?
    /// Where the executable goes inside the image.
    public var installDirectory = "/usr/local/bin"
    /// The system files added to a self-contained image (the host's CA bundle, the `nonroot` user…).
    public var systemFiles = SystemFiles()
    /// The root file system the executable's shared libraries are found in: `/` (the host, whose multiarch
    /// directories also hold other architectures' libraries), or a sysroot (`--sysroot`).
    public var libraryRoot = "/"
    /// Where warnings go, e.g. that the host has no CA bundle to copy.
    public var logger: Logger

    public init(
        executablePath: String, additions: [Addition], selfContained: Bool, requestedPlatform: Platform?,
        logger: Logger = Logger(label: "stevedore.build")
    ) {
        self.executablePath = executablePath
        self.additions = additions
        self.selfContained = selfContained
        self.requestedPlatform = requestedPlatform
        self.logger = logger
    }

    /// The executable's path inside the image.
    public var imageExecutablePath: String {
        "\(installDirectory)/\((executablePath as NSString).lastPathComponent)"
    }

    /// The executable's platform, read from its ELF header and checked against ``requestedPlatform``.
    ///
    /// - Throws: ``StevedoreError`` `missingInput`, `platformMismatch`, or the ELF reader's errors.
    public func executablePlatform() throws -> Platform {
        guard FileManager.default.fileExists(atPath: executablePath) else {
            throw StevedoreError(.missingInput, "--executable '\(executablePath)' does not exist")
        }
        guard FileManager.default.isReadableFile(atPath: executablePath) else {
            throw StevedoreError(.missingInput, "--executable '\(executablePath)' is not readable")
        }
        let elf = try ELFFile(path: executablePath)
        guard let elfPlatform = elf.platform else {
            throw StevedoreError(.platformMismatch, "--executable '\(executablePath)' is an ELF file for \(elf.machine), which has no OCI platform name")
        }
        let platform = Platform(os: elfPlatform.os, architecture: elfPlatform.architecture, variant: elfPlatform.variant)
        guard let requestedPlatform else { return platform }
        guard requestedPlatform.matches(platform) else {
            throw StevedoreError(.platformMismatch, "--platform \(requestedPlatform) does not match the executable '\(executablePath)', which is built for \(platform); build it for \(requestedPlatform) or drop --platform")
        }
        return requestedPlatform.normalized
    }

    /// Reads the executable, finds its libraries and returns the recipe's layers and platform.
    ///
    /// - Throws: ``StevedoreError`` `missingInput` or `platformMismatch`, ``StevedoreELF/StevedoreError`` for a non-ELF file
    ///   or a missing library, ``StevedoreArchive/StevedoreError`` for unreadable files.
    public func plan(settings: ImageSettings, creationTime: Int64) throws -> ImageRecipe {
        let platform = try executablePlatform()
        var layers: [ImageRecipe.Layer] = []
        var environment: [EnvironmentVariable] = [EnvironmentVariable(name: "PATH", value: SystemFiles.path)]
        var sharedLibraries: [ImageRecipe.CopiedFile] = []
        if selfContained {
            let resolver = SharedLibraryResolver(configuration: SharedLibraryResolver.Configuration(root: libraryRoot))
            let closure = try resolver.resolve(executable: executablePath, imagePath: imageExecutablePath)
            var tree = FileTree()
            for file in closure.files {
                try tree.addFile(file.imagePath, hostPath: file.hostPath, mode: 0o755)
                sharedLibraries.append(.init(hostPath: file.hostPath, imagePath: file.imagePath))
            }
            for link in closure.symlinks {
                try tree.addSymbolicLink(link.path, target: link.target)
            }
            try systemFiles.add(to: &tree)
            if systemFiles.certificateBundle == nil {
                // Silence would ship an image whose TLS clients fail at run time, far from the cause.
                logger.warning("""
                    this host has no CA bundle (looked for \(systemFiles.certificateBundleCandidates.joined(separator: ", "))), \
                    so the image has no /etc/ssl/certs/ca-certificates.crt and TLS connections from it cannot verify \
                    servers; install the CA certificates (Debian: apt-get install ca-certificates) and build again
                    """)
            }
            let libraryCount = closure.files.count
            layers.append(.init(tree: tree, createdBy: "stevedore: \(libraryCount) runtime librar\(libraryCount == 1 ? "y" : "ies") and system files"))
            let extraDirectories = closure.loaderConfigurationDirectories
            if !extraDirectories.isEmpty {
                environment.append(EnvironmentVariable(name: "LD_LIBRARY_PATH", value: extraDirectories.joined(separator: ":")))
            }
        }
        if !additions.isEmpty {
            var tree = FileTree()
            for addition in additions { try addition.add(to: &tree) }
            layers.append(.init(tree: tree, createdBy: "stevedore: add " + additions.map(\.destination).joined(separator: " ")))
        }
        var executableTree = FileTree()
        try executableTree.addFile(imageExecutablePath, hostPath: executablePath, mode: 0o755)
        layers.append(.init(tree: executableTree, createdBy: "stevedore: executable \(imageExecutablePath)"))

        var settings = settings
        if settings.entrypoint == nil { settings.entrypoint = [imageExecutablePath] }
        var recipe = ImageRecipe(platform: platform, layers: layers, settings: settings, creationTime: creationTime)
        recipe.executable = .init(hostPath: executablePath, imagePath: imageExecutablePath)
        recipe.sharedLibraries = sharedLibraries
        recipe.libraryRoot = libraryRoot
        if selfContained {
            recipe.defaultEnvironment = environment
            recipe.defaultUser = SystemFiles.user
        }
        return recipe
    }
}
