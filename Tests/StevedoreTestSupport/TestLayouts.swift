import Foundation
import StevedoreCore
import StevedoreLayout

/// Makes images and OCI layouts of real gzip tar layers with the tar and gzip tools, for pushing, unpacking and
/// verifying.
public enum TestLayouts {
    /// One layer: files (path → contents) or random files (path → size).
    public struct Layer {
        public var files: [String: String] = [:]
        public var randomFiles: [String: Int] = [:]

        public init(files: [String: String] = [:], randomFiles: [String: Int] = [:]) {
            self.files = files
            self.randomFiles = randomFiles
        }
    }

    /// Builds the layer blobs into `layout`'s store and returns their descriptors and diff IDs.
    public static func makeLayers(_ layers: [Layer], in layout: OCILayout, scratch: String) throws -> [(descriptor: Descriptor, diffID: Digest)] {
        try makeLayers(layers, into: layout.store, scratch: scratch)
    }

    /// Builds the layer blobs into `sink` and returns their descriptors and diff IDs.
    public static func makeLayers(_ layers: [Layer], into sink: any BlobSink, scratch: String) throws -> [(descriptor: Descriptor, diffID: Digest)] {
        var result: [(Descriptor, Digest)] = []
        for (number, layer) in layers.enumerated() {
            let root = "\(scratch)/layer\(number)-\(UUID().uuidString.prefix(6))"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            for (path, contents) in layer.files {
                let target = "\(root)/\(path)"
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try contents.write(toFile: target, atomically: true, encoding: .utf8)
            }
            for (path, size) in layer.randomFiles {
                let target = "\(root)/\(path)"
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try check(ProcessRunner.run(["sh", "-c", "head -c \(size) /dev/urandom > '\(target)'"]))
            }
            let tar = "\(root).tar"
            try check(ProcessRunner.run(["tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-cf", tar, "-C", root, "."]))
            let diffID = try digest(ofFile: tar)
            try check(ProcessRunner.run(["sh", "-c", "gzip -n -1 -c '\(tar)' > '\(tar).gz'"]))
            let stored = try store(file: "\(tar).gz", in: sink)
            result.append((Descriptor(mediaType: .ociLayerGzip, digest: stored.digest, size: stored.size), diffID))
        }
        return result
    }

    /// An image of `layers` tagged `tag` in a new layout at `path`.
    @discardableResult
    public static func make(at path: String, tag: String, layers: [Layer], cmd: [String] = ["/bin/true"]) throws -> Image {
        let layout = try OCILayout(path: path)
        let image = try makeImage(layers: layers, into: layout.store, scratch: path + ".scratch", cmd: cmd)
        try layout.write(image, tag: tag)
        return image
    }

    /// An image of `layers` for the host platform: every blob (layers, configuration, manifest) is written into `sink`.
    public static func makeImage(layers: [Layer], into sink: any BlobSink, scratch: String, cmd: [String] = ["/bin/true"]) throws -> Image {
        let built = try makeLayers(layers, into: sink, scratch: scratch)
        var container = ImageConfiguration.ContainerConfiguration()
        container.cmd = cmd
        container.env = ["PATH=/bin"]
        let configuration = ImageConfiguration(
            platform: Platform.host, config: container,
            rootfs: .init(diffIDs: built.map(\.diffID)),
            history: built.map { _ in .init(created: "1970-01-01T00:00:00Z", createdBy: "stevedore test") },
            created: "1970-01-01T00:00:00Z"
        )
        let image = try Image(configuration: configuration, layers: built.map(\.descriptor))
        for (data, descriptor) in [(image.configurationData, image.manifest.config), (image.manifestData, image.manifestDescriptor)] {
            let writer = try sink.makeBlobWriter()
            do {
                try data.withUnsafeBytes { try writer.write($0) }
                _ = try writer.commit(expected: (descriptor.digest, descriptor.size))
            } catch {
                writer.abort()
                throw error
            }
        }
        return image
    }

    public static func digest(ofFile path: String) throws -> Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TestServerError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = DigestHasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    public static func store(file path: String, in store: any BlobSink) throws -> (digest: Digest, size: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TestServerError("cannot read \(path)") }
        defer { try? handle.close() }
        let writer = try store.makeBlobWriter()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try chunk.withUnsafeBytes { try writer.write($0) }
            }
            return try writer.commit(expected: nil)
        } catch {
            writer.abort()
            throw error
        }
    }

    public static func check(_ result: ProcessResult) throws {
        guard result.status == 0 else { throw TestServerError("command failed: \(result.output)") }
    }
}
