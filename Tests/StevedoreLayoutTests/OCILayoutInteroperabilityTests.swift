import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing
@testable import StevedoreLayout

/// Layouts written by ``OCILayout`` are read by the tools users meet (skopeo, umoci, oci-image-tool),
/// and layouts those tools write are read by ``OCILayout``.
@Suite(.dedicatedThread)
struct OCILayoutInteroperabilityTests {
    struct WrittenImage {
        var directory: TemporaryDirectory
        var layoutPath: String
        var layout: OCILayout
        var image: Image
    }

    /// Builds a real gzip'd tar layer with tar(1) and gzip(1), streams it into a layout and writes the image as `v1`.
    static func writeRealImage() throws -> WrittenImage {
        let directory = try TemporaryDirectory("interop")
        try directory.write("rootfs/app/hello.txt", "hello from stevedore\n")
        try directory.write("rootfs/etc/motd", "motd\n")
        let tar = try ProcessRunner.run([
            "tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0",
            "-C", directory.appending("rootfs"), "-cf", directory.appending("layer.tar"), "app", "etc",
        ])
        try #require(tar.status == 0, "\(tar.output)")
        let gzip = try ProcessRunner.run(["gzip", "-n", "-k", directory.appending("layer.tar")])
        try #require(gzip.status == 0, "\(gzip.output)")

        let layoutPath = directory.appending("layout")
        let layout = try OCILayout(path: layoutPath)
        let diffID = try streamFile(directory.appending("layer.tar"), into: nil)
        let layer = try streamFile(directory.appending("layer.tar.gz"), into: layout.store)
        var container = ImageConfiguration.ContainerConfiguration()
        container.entrypoint = ["/app/server"]
        container.env = ["PATH=/usr/bin:/bin"]
        container.workingDir = "/app"
        container.exposedPorts = ["8080/tcp": EmptyObject()]
        let configuration = ImageConfiguration(
            platform: Platform(os: "linux", architecture: "amd64"),
            config: container,
            rootfs: .init(diffIDs: [diffID.digest]),
            history: [.init(created: "1970-01-01T00:00:00Z", createdBy: "stevedore test")],
            created: "1970-01-01T00:00:00Z"
        )
        let image = try Image(
            configuration: configuration,
            layers: [Descriptor(mediaType: .ociLayerGzip, digest: layer.digest, size: layer.size)]
        )
        try layout.write(image, tag: "v1")
        return WrittenImage(directory: directory, layoutPath: layoutPath, layout: layout, image: image)
    }

    /// Streams a file through a blob writer (or just hashes it when `store` is nil).
    static func streamFile(_ path: String, into store: BlobStore?) throws -> (digest: Digest, size: Int64) {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let writer = try store?.makeBlobWriter()
        var hasher = DigestHasher()
        while let chunk = try handle.read(upToCount: 64 << 10), !chunk.isEmpty {
            try chunk.withUnsafeBytes { bytes in
                hasher.update(bytes)
                try writer?.write(bytes)
            }
        }
        guard let writer else { return (hasher.finalize(), hasher.count) }
        return try writer.commit(expected: (hasher.finalize(), hasher.count))
    }

    @Test func skopeoReadsTheExactManifestAndConfiguration() throws {
        let written = try Self.writeRealImage()
        let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(written.layoutPath):v1"])
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(Data(raw.stdout.utf8) == written.image.manifestData)
        let config = try ProcessRunner.run(["skopeo", "inspect", "--config", "--raw", "oci:\(written.layoutPath):v1"])
        #expect(config.status == 0, "\(config.stderr)")
        #expect(Data(config.stdout.utf8) == written.image.configurationData)
        let summary = try ProcessRunner.run(["skopeo", "inspect", "oci:\(written.layoutPath):v1"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains(written.image.manifestDescriptor.digest.description))
        let missing = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(written.layoutPath):nope"])
        #expect(missing.status != 0)
    }

    @Test func umociListsAndUnpacksTheImage() throws {
        let written = try Self.writeRealImage()
        let list = try ProcessRunner.run(["umoci", "ls", "--layout", written.layoutPath])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n") == ["v1"])
        let bundle = written.directory.appending("bundle")
        // umoci checks every blob's digest and the layer's diff_id while unpacking.
        let unpack = try ProcessRunner.run(["umoci", "unpack", "--image", "\(written.layoutPath):v1", bundle])
        #expect(unpack.status == 0, "\(unpack.output)")
        #expect(try String(contentsOfFile: "\(bundle)/rootfs/app/hello.txt", encoding: .utf8) == "hello from stevedore\n")
        let runtimeConfig = try String(contentsOfFile: "\(bundle)/config.json", encoding: .utf8)
        #expect(runtimeConfig.contains("/app/server"))
    }

    @Test func ociImageToolValidatesTheLayout() throws {
        let written = try Self.writeRealImage()
        let validate = try ProcessRunner.run(["oci-image-tool", "validate", "--type", "image", "--ref", "name=v1", written.layoutPath])
        #expect(validate.status == 0, "\(validate.output)")
    }

    @Test func layoutsWrittenByToolsAreReadBack() async throws {
        let written = try Self.writeRealImage()
        // umoci adds a tag to our index.json; skopeo copies the image into a layout of its own.
        let tag = try ProcessRunner.run(["umoci", "tag", "--image", "\(written.layoutPath):v1", "v2"])
        #expect(tag.status == 0, "\(tag.output)")
        #expect(try written.layout.resolve(tag: "v2").digest == written.image.manifestDescriptor.digest)

        let copied = written.directory.appending("copied")
        let copy = try ProcessRunner.run(["skopeo", "copy", "oci:\(written.layoutPath):v2", "oci:\(copied):from-skopeo"])
        #expect(copy.status == 0, "\(copy.output)")
        let other = try OCILayout(path: copied, create: false)
        let loaded = try await other.image(tag: "from-skopeo").loadImage(platform: Platform(os: "linux", architecture: "amd64"))
        #expect(loaded.manifestDescriptor.digest == written.image.manifestDescriptor.digest)
        #expect(loaded.configuration == written.image.configuration)
        let layer = try #require(loaded.manifest.layers.first)
        var hasher = DigestHasher()
        try await other.store.readBlob(layer) { hasher.update($0) }
        #expect(hasher.finalize() == layer.digest)

        // Then we tag into skopeo's layout, and skopeo still reads both tags.
        try other.setTag("from-stevedore", for: try other.resolve(tag: "from-skopeo"))
        for name in ["from-skopeo", "from-stevedore"] {
            let raw = try ProcessRunner.run(["skopeo", "inspect", "--raw", "oci:\(copied):\(name)"])
            #expect(raw.status == 0, "\(raw.stderr)")
            #expect(Data(raw.stdout.utf8) == written.image.manifestData)
        }
    }
}
