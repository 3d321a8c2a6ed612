import Foundation
import StevedoreCore
import StevedoreTestSupport
import Testing

/// `stevedore verify` rejects each kind of corruption, naming the blob, and accepts what umoci writes.
@Suite(.serialized, .dedicatedThread)
struct VerifyCommandTests {
    /// A freshly built layout to corrupt, and helpers to rewrite its JSON documents consistently.
    final class Corruptible {
        let work: TemporaryDirectory
        let layout: String

        init() throws {
            work = try TemporaryDirectory("verify")
            layout = work.appending("layout")
            let build = try StevedoreBinary.run(["build", "--executable", try Fixtures.cProgram.get(), "--output", "oci-layout:\(layout):t"])
            guard build.status == 0 else { throw FixtureError(message: build.output) }
        }

        func blobPath(_ digest: String) -> String {
            "\(layout)/blobs/sha256/\(digest.replacingOccurrences(of: "sha256:", with: ""))"
        }

        func readJSON(_ path: String) throws -> [String: Any] {
            try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }

        var index: [String: Any] { get throws { try readJSON("\(layout)/index.json") } }
        var manifestDescriptor: [String: Any] { get throws { try #require((try index["manifests"] as? [[String: Any]])?.first) } }
        var manifest: [String: Any] { get throws { try readJSON(blobPath(try #require(try manifestDescriptor["digest"] as? String))) } }
        var layers: [[String: Any]] { get throws { try #require(try manifest["layers"] as? [[String: Any]]) } }

        /// Stores `object` as a blob and returns its digest and size.
        func store(_ object: Any) throws -> (String, Int) {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return try store(data)
        }

        func store(_ data: Data) throws -> (String, Int) {
            let digest = Digest.sha256(of: data).description
            try data.write(to: URL(fileURLWithPath: blobPath(digest)))
            return (digest, data.count)
        }

        /// Replaces the manifest and points index.json at the new one.
        func replaceManifest(_ manifest: [String: Any]) throws {
            let (digest, size) = try store(manifest)
            var index = try self.index
            var descriptor = try manifestDescriptor
            descriptor["digest"] = digest
            descriptor["size"] = size
            index["manifests"] = [descriptor]
            try JSONSerialization.data(withJSONObject: index).write(to: URL(fileURLWithPath: "\(layout)/index.json"))
        }

        func verify() throws -> ProcessResult {
            try StevedoreBinary.run(["verify", "oci-layout:\(layout):t"])
        }
    }

    @Test func flippedByteInALayer() throws {
        let image = try Corruptible()
        let layer = try #require(try image.layers.last?["digest"] as? String)
        let path = image.blobPath(layer)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count / 2] ^= 0x01
        try data.write(to: URL(fileURLWithPath: path))
        let result = try image.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(layer): layer 2 content has digest"), "\(result.output)")
    }

    @Test func wrongSizeInADescriptor() throws {
        let image = try Corruptible()
        var manifest = try image.manifest
        var layers = try image.layers
        let layer = try #require(layers[0]["digest"] as? String)
        layers[0]["size"] = (layers[0]["size"] as? Int ?? 0) + 1
        manifest["layers"] = layers
        try image.replaceManifest(manifest)
        let result = try image.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(layer): layer 1 is"), "\(result.output)")
        #expect(result.stderr.contains("its descriptor says"), "\(result.output)")
    }

    @Test func wrongDiffID() throws {
        let image = try Corruptible()
        var manifest = try image.manifest
        var configDescriptor = try #require(manifest["config"] as? [String: Any])
        var config = try image.readJSON(image.blobPath(try #require(configDescriptor["digest"] as? String)))
        var rootfs = try #require(config["rootfs"] as? [String: Any])
        var diffIDs = try #require(rootfs["diff_ids"] as? [String])
        diffIDs[1] = Digest.sha256(of: Array("not the layer".utf8)).description
        rootfs["diff_ids"] = diffIDs
        config["rootfs"] = rootfs
        let (digest, size) = try image.store(config)
        configDescriptor["digest"] = digest
        configDescriptor["size"] = size
        manifest["config"] = configDescriptor
        try image.replaceManifest(manifest)
        let result = try image.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains("but the configuration's diff_ids[1] is \(diffIDs[1])"), "\(result.output)")
    }

    @Test func missingBlob() throws {
        let image = try Corruptible()
        let layer = try #require(try image.layers[0]["digest"] as? String)
        try FileManager.default.removeItem(atPath: image.blobPath(layer))
        let result = try image.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains(layer), "\(result.output)")
        #expect(result.stderr.contains("missing"), "\(result.output)")
    }

    @Test func plainTarLabelledAsGzip() throws {
        let image = try Corruptible()
        var manifest = try image.manifest
        var layers = try image.layers
        let layer = try #require(layers[1]["digest"] as? String)
        let gunzip = try ProcessRunner.run(["sh", "-c", "gzip -dc < '\(image.blobPath(layer))' > '\(image.work.appending("plain.tar"))'"])
        #expect(gunzip.status == 0)
        let (digest, size) = try image.store(Data(contentsOf: URL(fileURLWithPath: image.work.appending("plain.tar"))))
        layers[1]["digest"] = digest
        layers[1]["size"] = size
        manifest["layers"] = layers
        try image.replaceManifest(manifest)
        let result = try image.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains(digest), "\(result.output)")
        #expect(result.stderr.lowercased().contains("gzip"), "\(result.output)")
    }

    @Test func manifestBytesDoNotMatchTheirDigest() throws {
        let image = try Corruptible()
        let manifestDigest = try #require(try image.manifestDescriptor["digest"] as? String)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: image.blobPath(manifestDigest)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(" ".utf8))
        try handle.close()
        let result = try image.verify()
        #expect(result.status == 1)
        #expect(result.stderr.contains(manifestDigest), "\(result.output)")
        #expect(result.stderr.contains("has digest"), "\(result.output)")
    }

    @Test func acceptsWhatUmociWrites() throws {
        let work = try TemporaryDirectory("umoci")
        let layout = work.appending("layout")
        #expect(try ProcessRunner.run(["umoci", "init", "--layout", layout]).status == 0)
        #expect(try ProcessRunner.run(["umoci", "new", "--image", "\(layout):bb"]).status == 0)
        try work.write("rootfs/bin/hello", "#!/bin/sh\necho hi\n", mode: 0o755)
        let insert = try ProcessRunner.run(["umoci", "insert", "--image", "\(layout):bb", work.appending("rootfs/bin"), "/bin"])
        #expect(insert.status == 0, "\(insert.output)")
        let result = try StevedoreBinary.run(["verify", "oci-layout:\(layout):bb"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("OK (1 manifest, 1 layer)"))
    }
}
