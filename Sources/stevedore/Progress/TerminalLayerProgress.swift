import Foundation
import StevedoreArchive
import StevedoreCore

/// On a terminal: a layer that takes more than a moment gets a line redrawn in place with the bytes written
/// and the rate; every layer ends with the same summary line ``LineLayerProgress`` prints.
final class TerminalLayerProgress: LayerProgress, @unchecked Sendable {
    /// How long a layer runs before its progress line appears.
    private static let moment: Duration = .milliseconds(300)

    private let lock = NSLock()
    private let output: FileHandle
    private let names = LayerNames()
    private var current: (index: Int, size: Int64, started: ContinuousClock.Instant)?
    private var lastDraw: ContinuousClock.Instant?
    private var isDrawn = false

    init(output: FileHandle = .standardError) {
        self.output = output
    }

    func started(index: Int, count: Int, name: String, size: Int64) {
        names.set(index, name: name, count: count)
        lock.withLock { current = (index, size, ContinuousClock.now) }
    }

    func advanced(index: Int, bytes: Int64) {
        lock.withLock {
            guard let current, current.index == index else { return }
            let now = ContinuousClock.now
            guard now - current.started > Self.moment else { return }
            if let lastDraw, now - lastDraw < .milliseconds(100) { return }
            lastDraw = now
            let elapsed = now - current.started
            var line = "Layer \(names.position(index)) (\(names.name(index))): \(ByteCountText.format(bytes))"
            if current.size > 0 { line += "/\(ByteCountText.format(current.size))" }
            line += ", \(ByteCountText.rate(bytes, over: elapsed))"
            output.write(Data("\r\u{1b}[K\(line)".utf8))
            isDrawn = true
        }
    }

    func finished(index: Int, layer: WrittenLayer, outcome: LayerOutcome, elapsed: Duration) {
        let summary = LineLayerProgress.summary(index: index, names: names, layer: layer, outcome: outcome, elapsed: elapsed)
        lock.withLock {
            output.write(Data(((isDrawn ? "\r\u{1b}[K" : "") + summary + "\n").utf8))
            isDrawn = false
            current = nil
            lastDraw = nil
        }
    }
}
