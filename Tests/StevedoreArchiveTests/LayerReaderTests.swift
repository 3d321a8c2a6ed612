import StevedoreArchive
import StevedoreCore
import StevedoreTestSupport
import Testing

@Suite(.dedicatedThread) struct LayerReaderTests {
    /// Removed when the test ends: Swift Testing makes a suite value per test.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("stevedore-archive-test") }

    @Test func readsALayerFromABlobSource() async throws {
        let tree = try LayerFixtures.inlineTree()
        let (layer, store) = try await LayerFixtures.write(tree, in: scratch)
        let report = try await LayerReader().read(layer.descriptor, from: store)
        #expect(report.isValid)
        #expect(report.diffID == layer.diffID)
        #expect(report.uncompressedSize == layer.uncompressedSize)
        #expect(report.entries.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } == tree.entries.map(\.path))
    }

    @Test func sizeDifferentFromTheDescriptorIsReported() async throws {
        let (layer, store) = try await LayerFixtures.write(LayerFixtures.inlineTree(), in: scratch)
        var descriptor = layer.descriptor
        descriptor.size += 1
        let report = try await LayerReader().read(descriptor, from: store)
        #expect(report.problems.map(\.kind) == [.digestMismatch])
    }
}
