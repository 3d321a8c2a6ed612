import Foundation
import Logging
import StevedoreCore
import StevedoreProcess

/// Reads what an SBOM needs about an image from the build host: the digest of every copied file, the Debian
/// package owning each library (dpkg's database of the library root, else of the host), the Swift runtime's
/// toolchain version.
public struct InventoryCollector: Sendable {
    /// Where notes go, e.g. that a toolchain did not tell its version.
    public var logger: Logger
    /// How long `swift --version` may take.
    public var toolchainTimeout: Duration = .seconds(60)

    /// Creates a collector.
    public init(logger: Logger = Logger(label: "stevedore.sbom")) {
        self.logger = logger
    }

    /// Gathers the inventory of `subject`.
    ///
    /// - Throws: ``StevedoreError`` `unreadableSBOMInput` for a copied file that cannot be read any more.
    public func inventory(of subject: SBOMSubject) async throws -> ImageInventory {
        var toolchains: [String: SwiftRuntime] = [:]
        var images: [ImageInventory.PlatformImage] = []
        for image in subject.images {
            let root = image.libraryRoot
            let dpkgRoot = DpkgDatabase.exists(root: root) ? root : "/"
            var queries: Set<String> = []
            for library in image.sharedLibraries {
                queries.insert(Self.path(library.hostPath, inside: root))
                queries.insert(library.imagePath)
            }
            let dpkg = try DpkgDatabase(root: dpkgRoot, paths: queries)

            var libraries: [ImageInventory.File] = []
            var runtime: SwiftRuntime?
            for library in image.sharedLibraries {
                let (digest, _) = try Self.hash(library.hostPath, marker: nil)
                let owner = dpkg.package(owning: Self.path(library.hostPath, inside: root), or: [library.imagePath])
                libraries.append(ImageInventory.File(imagePath: library.imagePath, sha256: digest, debianPackage: owner))
                if library.imagePath.hasSuffix("/libswiftCore.so") {
                    let toolchain = Self.toolchainDirectory(ofRuntime: library.hostPath)
                    if let known = toolchains[toolchain] {
                        runtime = known
                    } else {
                        let found = await copiedRuntime(toolchain: toolchain)
                        toolchains[toolchain] = found
                        runtime = found
                    }
                }
            }
            var executable: ImageInventory.File?
            if let copied = image.executable {
                let (digest, hasSwiftMetadata) = try Self.hash(copied.hostPath, marker: Array("swift5_protocols".utf8))
                executable = ImageInventory.File(imagePath: copied.imagePath, sha256: digest)
                if runtime == nil, hasSwiftMetadata { runtime = SwiftRuntime(linkage: .linkedStatically) }
            }
            images.append(ImageInventory.PlatformImage(
                platform: image.platform, manifestDigest: image.manifestDigest, executable: executable,
                libraries: libraries.sorted(), swiftRuntime: runtime, base: image.base
            ))
        }
        return ImageInventory(
            name: subject.name, digest: subject.digest, isIndex: subject.isIndex, images: images,
            swiftPackages: subject.swiftPackages.sorted(), creationTime: subject.creationTime
        )
    }

    /// The runtime copied from the toolchain whose `usr` directory is `toolchain`: its version from `swift --version`.
    private func copiedRuntime(toolchain: String) async -> SwiftRuntime {
        let swift = toolchain + "/bin/swift"
        guard FileManager.default.isExecutableFile(atPath: swift) else {
            logger.info("no swift beside the copied Swift runtime; the SBOM records no toolchain version", metadata: ["stevedore.toolchain": "\(toolchain)"])
            return SwiftRuntime(linkage: .copied)
        }
        do {
            let output = try await ChildProcess(swift, ["--version"], timeout: toolchainTimeout).run()
            let line = (output.outputText + "\n" + output.errorText).split(separator: "\n").first { $0.contains("Swift version") }.map(String.init)
            return SwiftRuntime(linkage: .copied, version: line.flatMap(Self.version(in:)), versionDescription: line)
        } catch {
            logger.info("swift --version failed; the SBOM records no toolchain version", metadata: ["stevedore.toolchain": "\(toolchain)", "stevedore.error": "\(error)"])
            return SwiftRuntime(linkage: .copied)
        }
    }

    /// `6.1.2` from `Swift version 6.1.2 (swift-6.1.2-RELEASE)` (or `Apple Swift version …`).
    static func version(in line: String) -> String? {
        guard let range = line.range(of: "Swift version ") else { return nil }
        let word = line[range.upperBound...].prefix { !$0.isWhitespace }
        return word.isEmpty ? nil : String(word)
    }

    /// The toolchain's `usr` directory of a runtime library at `<usr>/lib/swift/linux/libswiftCore.so`.
    static func toolchainDirectory(ofRuntime path: String) -> String {
        var url = URL(fileURLWithPath: path)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }

    /// `hostPath` as a path inside `root` (unchanged for `/`, or a path outside the root).
    static func path(_ hostPath: String, inside root: String) -> String {
        guard root != "/" else { return hostPath }
        let prefix = root.hasSuffix("/") ? String(root.dropLast()) : root
        guard hostPath.hasPrefix(prefix + "/") else { return hostPath }
        return String(hostPath.dropFirst(prefix.count))
    }

    /// The `sha256` of a file, read in chunks, and whether `marker` occurs in it.
    static func hash(_ path: String, marker: [UInt8]?) throws -> (Digest, Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StevedoreError(.unreadableSBOMInput, "cannot read '\(path)' to record its digest in the SBOM")
        }
        defer { try? handle.close() }
        var hasher = DigestHasher()
        var found = false
        var tail: [UInt8] = []
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw StevedoreError(.unreadableSBOMInput, "cannot read '\(path)' to record its digest in the SBOM: \(error.localizedDescription)", cause: error)
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { hasher.update($0) }
            if let marker, !found {
                let window = tail + chunk
                found = window.firstRange(of: marker) != nil
                tail = Array(window.suffix(marker.count - 1))
            }
        }
        return (hasher.finalize(), found)
    }
}
