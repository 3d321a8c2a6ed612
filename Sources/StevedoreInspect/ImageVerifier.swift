import Foundation
import StevedoreArchive
import StevedoreCore

/// Checks an image end to end: every descriptor's digest, size and media type, the configuration's
/// `diff_ids` against the decompressed layers, and each layer's tar for duplicate, absolute or `..` paths.
///
/// Every problem found is reported, each naming the blob and what is wrong; layers are streamed, so memory
/// stays bounded whatever their size. Entries that are well formed but worth a reviewer's look (a path written
/// through a symbolic link of the same layer, device nodes, setuid/setgid files, hard links to files the layer
/// does not hold) are warnings, or problems when the verifier is strict.
public struct ImageVerifier: Sendable {
    /// One thing wrong with an image.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The blob concerned (manifest, configuration or layer).
        public var digest: Digest?
        public var message: String

        public var description: String {
            digest.map { "\($0): \(message)" } ?? message
        }
    }

    /// What was checked and what was wrong.
    public struct Report: Sendable {
        public var checkedManifests: [Digest] = []
        public var checkedLayers = 0
        public var problems: [Problem] = []
        /// What a strict verifier would count as problems (see ``LayerProblem/Kind/isWarning``).
        public var warnings: [Problem] = []
        public var isValid: Bool { problems.isEmpty }
    }

    /// Whether warnings are reported as problems.
    public var strict: Bool

    /// Creates a verifier.
    ///
    /// - Parameter strict: report warnings (symlink-then-write paths, device nodes, setuid/setgid files, hard
    ///   links that leave the layer) as problems.
    public init(strict: Bool = false) {
        self.strict = strict
    }

    /// Verifies the image or index that `source` names, and every manifest an index lists.
    public func verify(_ source: any ImageSource) async -> Report {
        var report = Report()
        let root: Descriptor
        do {
            root = try await source.resolveRoot()
        } catch {
            report.problems.append(Problem(digest: nil, message: "\(error)"))
            return report
        }
        await verify(descriptor: root, source: source, report: &report)
        return report
    }

    /// Verifies one manifest or index descriptor.
    public func verify(descriptor: Descriptor, source: any ImageSource, report: inout Report) async {
        let data: Data
        do {
            data = try await source.verifiedData(descriptor)
        } catch {
            report.problems.append(Problem(digest: descriptor.digest, message: Self.describe(error)))
            return
        }
        if descriptor.mediaType.isIndex {
            guard let index = decode(ImageIndex.self, data, descriptor, &report) else { return }
            if index.mediaType.map({ $0 != descriptor.mediaType }) ?? false {
                report.problems.append(Problem(digest: descriptor.digest, message: "the index says media type \(index.mediaType?.rawValue ?? "") but its descriptor says \(descriptor.mediaType)"))
            }
            for child in index.manifests where child.mediaType.isManifest || child.mediaType.isIndex {
                await verify(descriptor: child, source: source, report: &report)
            }
            return
        }
        guard descriptor.mediaType.isManifest else {
            report.problems.append(Problem(digest: descriptor.digest, message: "media type \(descriptor.mediaType) is not an image manifest or index"))
            return
        }
        guard let manifest = decode(ImageManifest.self, data, descriptor, &report) else { return }
        report.checkedManifests.append(descriptor.digest)
        if let declared = manifest.mediaType, declared != descriptor.mediaType {
            report.problems.append(Problem(digest: descriptor.digest, message: "the manifest says media type \(declared) but its descriptor says \(descriptor.mediaType)"))
        }
        guard manifest.config.mediaType.isConfig else {
            report.problems.append(Problem(digest: manifest.config.digest, message: "config media type \(manifest.config.mediaType) is not an image configuration"))
            return
        }
        let configuration: ImageConfiguration
        do {
            let configData = try await source.verifiedData(manifest.config)
            configuration = try CanonicalJSON.decode(ImageConfiguration.self, from: configData, what: "configuration")
        } catch {
            report.problems.append(Problem(digest: manifest.config.digest, message: Self.describe(error)))
            return
        }
        let diffIDs = configuration.rootfs.diffIDs
        if diffIDs.count != manifest.layers.count {
            report.problems.append(Problem(digest: manifest.config.digest, message: "the configuration lists \(diffIDs.count) diff_ids but the manifest has \(manifest.layers.count) layers"))
        }
        for (position, layer) in manifest.layers.enumerated() {
            report.checkedLayers += 1
            guard layer.mediaType.isLayer else {
                report.problems.append(Problem(digest: layer.digest, message: "layer \(position + 1) has media type \(layer.mediaType), which is not a layer type"))
                continue
            }
            do {
                let layerReport = try await LayerReader().read(layer, from: source)
                // The reader hashes with sha256; a layer named by another algorithm is hashed again with it.
                let blobDigest = layer.digest.algorithm == layerReport.blobDigest.algorithm ? layerReport.blobDigest : try await Self.digest(of: layer, in: source)
                if blobDigest != layer.digest {
                    report.problems.append(Problem(digest: layer.digest, message: "layer \(position + 1) content has digest \(blobDigest)"))
                }
                if layerReport.blobSize != layer.size {
                    report.problems.append(Problem(digest: layer.digest, message: "layer \(position + 1) is \(layerReport.blobSize) bytes, its descriptor says \(layer.size)"))
                }
                if position < diffIDs.count, layerReport.diffID != diffIDs[position] {
                    report.problems.append(Problem(digest: layer.digest, message: "layer \(position + 1) decompresses to \(layerReport.diffID), but the configuration's diff_ids[\(position)] is \(diffIDs[position])"))
                }
                // The reader reports a digest or size mismatch too; the checks above already name it.
                for problem in layerReport.problems where problem.kind != .digestMismatch {
                    report.problems.append(Problem(digest: layer.digest, message: "layer \(position + 1): \(problem.message)"))
                }
                var warnings = layerReport.warnings.map { Problem(digest: layer.digest, message: "layer \(position + 1): \($0.message)") }
                if layerReport.omittedWarningCount > 0 {
                    warnings.append(Problem(digest: layer.digest, message: "layer \(position + 1): \(layerReport.omittedWarningCount) more warnings like these"))
                }
                if strict {
                    report.problems += warnings
                } else {
                    report.warnings += warnings
                }
            } catch {
                report.problems.append(Problem(digest: layer.digest, message: "layer \(position + 1): \(Self.describe(error))"))
            }
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ descriptor: Descriptor, _ report: inout Report) -> T? {
        do {
            return try CanonicalJSON.decode(type, from: data, what: "\(descriptor.mediaType)")
        } catch {
            report.problems.append(Problem(digest: descriptor.digest, message: Self.describe(error)))
            return nil
        }
    }

    /// The digest of a blob with its descriptor's algorithm.
    static func digest(of descriptor: Descriptor, in source: any ImageSource) async throws -> Digest {
        var hasher = DigestHasher(algorithmOf: descriptor.digest)
        try await source.readBlob(descriptor) { hasher.update($0) }
        return hasher.finalize()
    }

    static func describe(_ error: any Error) -> String {
        String(describing: error)
    }
}
