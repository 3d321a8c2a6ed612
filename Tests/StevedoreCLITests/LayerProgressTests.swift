import Foundation
import StevedoreArchive
import StevedoreCore
import Testing
@testable import stevedore

/// Issue 10, item 4: how a build's layers are shown.
@Suite struct LayerProgressTests {
    static let layer = WrittenLayer(
        descriptor: Descriptor(mediaType: .ociLayerGzip, digest: Digest.sha256(of: Array("layer".utf8)), size: 25_300_000),
        diffID: Digest.sha256(of: Array("tar".utf8)), uncompressedSize: 70_100_000
    )

    @Test func inLogsEachLayerIsOneLineWithItsRateOrWhereItWasFound() {
        let lines = LockedLines()
        let progress = LineLayerProgress(write: { lines.append($0) })
        progress.started(index: 0, count: 2, name: "stevedore: add /srv", size: 10)
        progress.finished(index: 0, layer: Self.layer, outcome: .reused(.cache), elapsed: .zero)
        progress.started(index: 1, count: 2, name: "stevedore: executable /usr/local/bin/app", size: 70_100_000)
        progress.advanced(index: 1, bytes: 1_000_000)
        progress.finished(index: 1, layer: Self.layer, outcome: .written, elapsed: .seconds(2))
        #expect(lines.all == [
            "Layer 1/2 (stevedore: add /srv): unchanged, \(Self.layer.descriptor.digest.encoded.prefix(12)) reused from the cache",
            "Layer 2/2 (stevedore: executable /usr/local/bin/app): 70.1 MB compressed to 25.3 MB in 2.0 s (35.0 MB/s)",
        ])
    }

    /// On a terminal, a layer that takes more than a moment is redrawn in place with its bytes and rate, then
    /// replaced by its summary line.
    @Test func onATerminalASlowLayerShowsBytesAndRate() async throws {
        let pipe = Pipe()
        let progress = TerminalLayerProgress(output: pipe.fileHandleForWriting)
        progress.started(index: 0, count: 1, name: "stevedore: executable /usr/local/bin/app", size: 70_100_000)
        try await Task.sleep(for: .milliseconds(400))
        progress.advanced(index: 0, bytes: 35_000_000)
        progress.finished(index: 0, layer: Self.layer, outcome: .written, elapsed: .seconds(2))
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("\r\u{1b}[KLayer 1/1 (stevedore: executable /usr/local/bin/app): 35.0 MB/70.1 MB, "), "\(text.debugDescription)")
        #expect(text.contains("MB/s"))
        #expect(text.hasSuffix("\r\u{1b}[KLayer 1/1 (stevedore: executable /usr/local/bin/app): 70.1 MB compressed to 25.3 MB in 2.0 s (35.0 MB/s)\n"), "\(text.debugDescription)")
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
