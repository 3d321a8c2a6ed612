import Foundation
import StevedoreArchive
import StevedoreBuild
import StevedoreCore
import StevedoreLayout
import StevedoreTestSupport
import Testing

/// Issue 9, item 2: a malformed base is refused before anything is built on it.
@Suite(.dedicatedThread) struct ImageBuilderBaseValidationTests {
    enum Defect: String, CaseIterable, CustomTestStringConvertible {
        case noDiffIDs, extraDiffID, unknownLayerType, unknownConfigType, otherPlatform, noPlatform

        var testDescription: String { rawValue }

        func apply(to image: inout Image) {
            switch self {
            case .noDiffIDs: image.configuration.rootfs.diffIDs = []
            case .extraDiffID: image.configuration.rootfs.diffIDs.append(Digest.sha256(of: Array("extra".utf8)))
            case .unknownLayerType: image.manifest.layers[0].mediaType = "application/vnd.example.layer"
            case .unknownConfigType: image.manifest.config.mediaType = "application/octet-stream"
            case .otherPlatform: image.configuration.architecture = "arm64"
            case .noPlatform: image.configuration.os = ""
            }
        }

        var code: StevedoreError.Code {
            switch self {
            case .otherPlatform, .noPlatform: .platformMismatch
            default: .invalidBaseImage
            }
        }

        var fragment: String {
            switch self {
            case .noDiffIDs: "lists 0 diff_ids but its manifest has 1 layers"
            case .extraDiffID: "lists 2 diff_ids"
            case .unknownLayerType: "layer 1"
            case .unknownConfigType: "not an image configuration"
            case .otherPlatform, .noPlatform: "is for"
            }
        }
    }

    static func recipe() throws -> ImageRecipe {
        var tree = FileTree()
        try tree.addFile("etc/hello.txt", text: "hello\n")
        return ImageRecipe(platform: Platform(os: "linux", architecture: "amd64"), layers: [.init(tree: tree, createdBy: "layer")], settings: ImageSettings(), creationTime: 0)
    }

    @Test(arguments: Defect.allCases)
    func aMalformedBaseIsRefusedBeforeAnythingIsWritten(defect: Defect) async throws {
        let work = try TemporaryDirectory("builder-base")
        let baseStore = try BlobStore(root: work.appending("base"))
        var base = try await ImageBuilder(layerOptions: LayerOptions()).build(try Self.recipe(), base: nil, into: baseStore)
        try ImageBuilder.validate(.init(image: base, name: "good"), for: Platform(os: "linux", architecture: "amd64"))
        defect.apply(to: &base)

        let store = try BlobStore(root: work.appending("child"))
        let error = await #expect(throws: StevedoreError.self) {
            _ = try await ImageBuilder(layerOptions: LayerOptions()).build(try Self.recipe(), base: .init(image: base, name: "registry.example/base:1"), into: store)
        }
        #expect(error?.code == defect.code)
        #expect(error?.message.contains("registry.example/base:1") == true)
        #expect(error?.message.contains(defect.fragment) == true, "\(error?.message ?? "")")
        #expect(FileManager.default.sortedBlobNames(in: work.appending("child/blobs/sha256")).isEmpty)
    }
}

extension FileManager {
    fileprivate func sortedBlobNames(in path: String) -> [String] {
        ((try? contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}
