import Foundation
import StevedoreCore
import StevedoreTarball
import StevedoreTestSupport
import Testing

/// `--output docker-archive:FILE`: the tarball holds what `docker load` reads (manifest.json, repositories,
/// the configuration and layer files) and what OCI-aware loaders read (oci-layout, index.json), and skopeo
/// accepts it.
struct DockerArchiveWriterTests {
    /// A one-layer image in a blob directory, and a place to write archives.
    struct Fixture {
        let directory: TemporaryDirectory
        let store: FileBlobSink
        let image: Image

        init() throws {
            directory = try TemporaryDirectory("stevedore-tarball")
            store = try FileBlobSink(directory: directory.appending("blobs"))
            image = try TestLayouts.makeImage(layers: [.init(files: ["hello.txt": "hello from the archive\n"])], into: store, scratch: directory.appending("scratch"))
        }

        /// Writes the archive and unpacks it with tar; returns the archive's path and the unpacked directory.
        func writeAndUnpack(reference: String?, name: String = "image.tar") async throws -> (archive: String, unpacked: String) {
            let archive = directory.appending(name)
            try await DockerArchiveWriter(path: archive).write(image, from: store, reference: try reference.map { try ImageReference(parsing: $0) })
            let unpacked = directory.appending("\(name).d")
            try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
            let tar = try ProcessRunner.run(["tar", "-xf", archive, "-C", unpacked])
            try #require(tar.status == 0, "tar could not read the archive: \(tar.output)")
            return (archive, unpacked)
        }
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func manifestJSONAndRepositoriesNameTheConfigurationAndLayers() async throws {
        let fixture = try Fixture()
        let (_, unpacked) = try await fixture.writeAndUnpack(reference: "hello:1")
        let config = "blobs/sha256/\(fixture.image.manifest.config.digest.encoded)"
        let layer = "blobs/sha256/\(fixture.image.manifest.layers[0].digest.encoded)"
        let manifest = try #require(try Self.json("\(unpacked)/manifest.json") as? [[String: Any]])
        #expect(manifest.count == 1)
        #expect(manifest.first?["Config"] as? String == config)
        #expect(manifest.first?["RepoTags"] as? [String] == ["hello:1"])
        #expect(manifest.first?["Layers"] as? [String] == [layer])
        let repositories = try #require(try Self.json("\(unpacked)/repositories") as? [String: [String: String]])
        #expect(repositories == ["hello": ["1": fixture.image.manifestDescriptor.digest.encoded]])
        // The files manifest.json names hold the image's exact bytes.
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(unpacked)/\(config)")) == fixture.image.configurationData)
        #expect(try TestLayouts.digest(ofFile: "\(unpacked)/\(layer)") == fixture.image.manifest.layers[0].digest)
    }

    @Test func theOCIFormIsThereToo() async throws {
        let fixture = try Fixture()
        let (_, unpacked) = try await fixture.writeAndUnpack(reference: "ghcr.io/acme/app:v2")
        #expect(try String(contentsOfFile: "\(unpacked)/oci-layout", encoding: .utf8) == #"{"imageLayoutVersion":"1.0.0"}"#)
        let index = try CanonicalJSON.decode(ImageIndex.self, from: Data(contentsOf: URL(fileURLWithPath: "\(unpacked)/index.json")), what: "index.json")
        #expect(index.manifests.map(\.digest) == [fixture.image.manifestDescriptor.digest])
        #expect(index.manifests.first?.annotations == [
            AnnotationKey.containerdImageName: "ghcr.io/acme/app:v2",
            AnnotationKey.refName: "v2",
        ])
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(unpacked)/blobs/sha256/\(fixture.image.manifestDescriptor.digest.encoded)")) == fixture.image.manifestData)
    }

    @Test("the name docker load gives the image", arguments: [
        ("hello:1", "hello:1", "hello"),
        ("docker.io/library/hello", "hello:latest", "hello"),
        ("docker.io/acme/app:2", "acme/app:2", "acme/app"),
        ("ghcr.io/acme/app:v2", "ghcr.io/acme/app:v2", "ghcr.io/acme/app"),
        ("localhost:5000/team/app", "localhost:5000/team/app:latest", "localhost:5000/team/app"),
    ])
    func repoTags(reference: String, repoTag: String, repository: String) async throws {
        let fixture = try Fixture()
        let (_, unpacked) = try await fixture.writeAndUnpack(reference: reference)
        let manifest = try #require(try Self.json("\(unpacked)/manifest.json") as? [[String: Any]])
        #expect(manifest.first?["RepoTags"] as? [String] == [repoTag])
        let repositories = try #require(try Self.json("\(unpacked)/repositories") as? [String: [String: String]])
        #expect(Array(repositories.keys) == [repository])
    }

    @Test func withoutAReferenceTheImageHasNoName() async throws {
        let fixture = try Fixture()
        let (_, unpacked) = try await fixture.writeAndUnpack(reference: nil)
        let manifest = try #require(try Self.json("\(unpacked)/manifest.json") as? [[String: Any]])
        #expect(manifest.first?["RepoTags"] as? [String] == [])
        #expect(try Self.json("\(unpacked)/repositories") as? [String: [String: String]] == [:])
        let index = try CanonicalJSON.decode(ImageIndex.self, from: Data(contentsOf: URL(fileURLWithPath: "\(unpacked)/index.json")), what: "index.json")
        #expect(index.manifests.first?.annotations == nil)
    }

    @Test func theBytesDependOnlyOnTheImageAndTheName() async throws {
        let fixture = try Fixture()
        let (first, _) = try await fixture.writeAndUnpack(reference: "hello:1", name: "a.tar")
        let (second, _) = try await fixture.writeAndUnpack(reference: "hello:1", name: "b.tar")
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
        let listing = try ProcessRunner.run(["tar", "--utc", "--numeric-owner", "-tvf", first])
        #expect(listing.stdout.split(separator: "\n").allSatisfy { $0.contains("0/0") && $0.contains("1970-01-01") }, "\(listing.stdout)")
    }

    @Test func skopeoAcceptsTheArchive() async throws {
        let fixture = try Fixture()
        let (archive, _) = try await fixture.writeAndUnpack(reference: "hello:1")
        let inspect = try ProcessRunner.run(["skopeo", "inspect", "docker-archive:\(archive)"], timeout: 120)
        try #require(inspect.status == 0, "\(inspect.output)")
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect(facts["Architecture"] as? String == Platform.host.architecture)
        #expect(facts["Os"] as? String == "linux")
        #expect(facts["Env"] as? [String] == ["PATH=/bin"])
        let config = try ProcessRunner.run(["skopeo", "inspect", "--config", "--raw", "docker-archive:\(archive)"], timeout: 120)
        try #require(config.status == 0, "\(config.output)")
        #expect(config.stdout.trimmingCharacters(in: .newlines) == String(decoding: fixture.image.configurationData, as: UTF8.self))
    }

    @Test func aMissingBlobFailsAndLeavesNoFile() async throws {
        let fixture = try Fixture()
        try FileManager.default.removeItem(atPath: fixture.store.path(of: fixture.image.manifest.layers[0].digest))
        let output = try TemporaryDirectory("stevedore-tarball-out")
        let archive = output.appending("image.tar")
        await #expect(throws: (any Error).self) {
            try await DockerArchiveWriter(path: archive).write(fixture.image, from: fixture.store, reference: nil)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [])
    }

    @Test func anUnwritablePlaceIsAnErrorNamingTheFile() async throws {
        let fixture = try Fixture()
        let archive = fixture.directory.appending("missing-directory/image.tar")
        do {
            try await DockerArchiveWriter(path: archive).write(fixture.image, from: fixture.store, reference: nil)
            Issue.record("writing into a missing directory succeeded")
        } catch {
            #expect("\(error)".contains(archive), "\(error)")
        }
    }
}
