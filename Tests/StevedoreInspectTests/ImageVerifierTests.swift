import Foundation
import StevedoreCore
import StevedoreInspect
import StevedoreTestSupport
import Testing

/// `stevedore verify`'s engine on an image in a blob directory: a good image verifies; each kind of damage
/// yields a finding that names the blob concerned.
struct ImageVerifierTests {
    /// A blob directory with one image in it, whose root is the image's manifest.
    struct Fixture {
        let directory: TemporaryDirectory
        let store: FileBlobSink
        let image: Image

        init() throws {
            directory = try TemporaryDirectory("stevedore-verify")
            store = try FileBlobSink(directory: directory.appending("blobs"))
            image = try TestLayouts.makeImage(
                layers: [.init(files: ["etc/hello.txt": "hello\n", "srv/data.txt": String(repeating: "data ", count: 2000)])],
                into: store, scratch: directory.appending("scratch")
            )
        }

        var layer: Descriptor { image.manifest.layers[0] }

        /// The source the verifier reads: the image's manifest, or `root` when given.
        func source(root: Descriptor? = nil) -> BlobDirectorySource {
            BlobDirectorySource(store: store, root: root ?? image.manifestDescriptor)
        }

        /// Writes a new configuration and manifest (layers as given) and returns the manifest's descriptor.
        func rewrite(configuration: ImageConfiguration? = nil, layers: [Descriptor]? = nil) throws -> Descriptor {
            let rewritten = try Image(configuration: configuration ?? image.configuration, layers: layers ?? image.manifest.layers)
            for data in [rewritten.configurationData, rewritten.manifestData] {
                try data.write(to: URL(fileURLWithPath: store.path(of: .sha256(of: data))))
            }
            return rewritten.manifestDescriptor
        }
    }

    /// What is done to the image, and which blob the finding must name.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case flippedLayerByte, wrongLayerSize, wrongDiffID, missingLayer, missingConfiguration, flippedConfigurationByte

        var testDescription: String { rawValue }

        /// Damages the fixture; returns the root to verify, the blob the finding names and a fragment of its message.
        func apply(to fixture: Fixture) throws -> (root: Descriptor, blob: Digest, message: String) {
            let layerPath = fixture.store.path(of: fixture.layer.digest)
            let configPath = fixture.store.path(of: fixture.image.manifest.config.digest)
            switch self {
            case .flippedLayerByte:
                var bytes = try Data(contentsOf: URL(fileURLWithPath: layerPath))
                bytes[bytes.count / 2] ^= 0x01
                try bytes.write(to: URL(fileURLWithPath: layerPath))
                return (fixture.image.manifestDescriptor, fixture.layer.digest, "layer 1")
            case .wrongLayerSize:
                var layer = fixture.layer
                layer.size += 1
                return (try fixture.rewrite(layers: [layer]), layer.digest, "its descriptor says \(layer.size)")
            case .wrongDiffID:
                var configuration = fixture.image.configuration
                let wrong = Digest.sha256(of: Array("not the layer".utf8))
                configuration.rootfs = .init(diffIDs: [wrong])
                return (try fixture.rewrite(configuration: configuration), fixture.layer.digest, "diff_ids[0] is \(wrong)")
            case .missingLayer:
                try FileManager.default.removeItem(atPath: layerPath)
                return (fixture.image.manifestDescriptor, fixture.layer.digest, "\(fixture.layer.digest)")
            case .missingConfiguration:
                try FileManager.default.removeItem(atPath: configPath)
                return (fixture.image.manifestDescriptor, fixture.image.manifest.config.digest, "\(fixture.image.manifest.config.digest)")
            case .flippedConfigurationByte:
                var bytes = try Data(contentsOf: URL(fileURLWithPath: configPath))
                bytes[bytes.count / 2] ^= 0x01
                try bytes.write(to: URL(fileURLWithPath: configPath))
                return (fixture.image.manifestDescriptor, fixture.image.manifest.config.digest, "expected \(fixture.image.manifest.config.digest)")
            }
        }
    }

    @Test func aGoodImageVerifies() async throws {
        let fixture = try Fixture()
        let report = await ImageVerifier().verify(fixture.source())
        #expect(report.problems == [])
        #expect(report.isValid)
        #expect(report.checkedManifests == [fixture.image.manifestDescriptor.digest])
        #expect(report.checkedLayers == 1)
    }

    @Test(arguments: Damage.allCases)
    func damageIsReportedNamingTheBlob(_ damage: Damage) async throws {
        let fixture = try Fixture()
        let (root, blob, message) = try damage.apply(to: fixture)
        let report = await ImageVerifier().verify(fixture.source(root: root))
        #expect(!report.isValid)
        let finding = try #require(report.problems.first { $0.digest == blob }, "no finding names \(blob): \(report.problems)")
        #expect(finding.description.hasPrefix("\(blob): "))
        #expect(finding.message.contains(message), "\(finding.message)")
    }

    @Test func aMissingManifestIsReportedNamingIt() async throws {
        let fixture = try Fixture()
        try FileManager.default.removeItem(atPath: fixture.store.path(of: fixture.image.manifestDescriptor.digest))
        let report = await ImageVerifier().verify(fixture.source())
        #expect(report.problems.map(\.digest) == [fixture.image.manifestDescriptor.digest])
        #expect(report.checkedManifests == [])
    }

    @Test func everyManifestOfAnIndexIsChecked() async throws {
        let fixture = try Fixture()
        let second = try TestLayouts.makeImage(layers: [.init(files: ["other.txt": "other\n"])], into: fixture.store, scratch: fixture.directory.appending("scratch2"))
        try FileManager.default.removeItem(atPath: fixture.store.path(of: second.manifest.layers[0].digest))
        let indexData = try CanonicalJSON.encode(ImageIndex(manifests: [fixture.image.manifestDescriptor, second.manifestDescriptor]))
        try indexData.write(to: URL(fileURLWithPath: fixture.store.path(of: .sha256(of: indexData))))
        let index = Descriptor(mediaType: .ociIndex, digest: .sha256(of: indexData), size: Int64(indexData.count))
        let report = await ImageVerifier().verify(fixture.source(root: index))
        #expect(report.checkedManifests == [fixture.image.manifestDescriptor.digest, second.manifestDescriptor.digest])
        #expect(report.checkedLayers == 2)
        #expect(report.problems.map(\.digest) == [second.manifest.layers[0].digest])
    }
}

/// An ``ImageSource`` over a blob directory whose root is a given descriptor.
struct BlobDirectorySource: ImageSource {
    let store: FileBlobSink
    let root: Descriptor

    var sourceDescription: String { "blobs:\(store.directory)" }

    func resolveRoot() async throws -> Descriptor { root }

    func hasBlob(_ digest: Digest) async throws -> Bool { try await store.hasBlob(digest) }

    func readBlob(_ descriptor: Descriptor, into consumer: (UnsafeRawBufferPointer) async throws -> Void) async throws {
        try await store.readBlob(descriptor, into: consumer)
    }
}
