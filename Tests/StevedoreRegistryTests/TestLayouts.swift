import Foundation
import StevedoreCore
import StevedoreLayout
import StevedoreTestSupport

/// Makes OCI layouts of real gzip tar layers with the tar and gzip tools, for pushing and unpacking.
enum TestLayouts {
    /// One layer: files (path → contents) or random files (path → size).
    struct Layer {
        var files: [String: String] = [:]
        var randomFiles: [String: Int] = [:]
    }

    /// Builds the layer blobs into `layout`'s store and returns their descriptors and diff IDs.
    static func makeLayers(_ layers: [Layer], in layout: OCILayout, scratch: String) throws -> [(descriptor: Descriptor, diffID: Digest)] {
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
            let stored = try store(file: "\(tar).gz", in: layout.store)
            result.append((Descriptor(mediaType: .ociLayerGzip, digest: stored.digest, size: stored.size), diffID))
        }
        return result
    }

    /// An image of `layers` tagged `tag` in a new layout at `path`.
    @discardableResult
    static func make(at path: String, tag: String, layers: [Layer], cmd: [String] = ["/bin/true"]) throws -> Image {
        let layout = try OCILayout(path: path)
        let built = try makeLayers(layers, in: layout, scratch: path + ".scratch")
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
        try layout.write(image, tag: tag)
        return image
    }

    static func digest(ofFile path: String) throws -> Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TestServerError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = DigestHasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    static func store(file path: String, in store: BlobStore) throws -> (digest: Digest, size: Int64) {
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

    static func check(_ result: ProcessResult) throws {
        guard result.status == 0 else { throw TestServerError("command failed: \(result.output)") }
    }
}
