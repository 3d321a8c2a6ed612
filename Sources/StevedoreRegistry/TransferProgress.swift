import Foundation
import StevedoreCore

/// One plain line per finished blob and per note, for logs and CI (no terminal).
public struct LineTransferProgress: TransferProgress {
    private let write: @Sendable (String) -> Void

    /// Writes lines with `write` (standard error by default).
    public init(write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.write = write
    }

    public func started(_ descriptor: Descriptor, upload: Bool) {}
    public func advanced(_ digest: Digest, by bytes: Int) {}

    public func finished(_ descriptor: Descriptor, outcome: BlobOutcome) {
        write("\(descriptor.digest.shortForm): \(outcome.rawValue) (\(ByteCountText.format(descriptor.size)))")
    }

    public func note(_ message: String) { write(message) }
}

/// A bar per moving blob, redrawn in place on a terminal.
public final class TerminalTransferProgress: TransferProgress, @unchecked Sendable {
    private struct Bar {
        var descriptor: Descriptor
        var upload: Bool
        var done: Int64 = 0
        var outcome: BlobOutcome?
    }

    private let lock = NSLock()
    private var bars: [Bar] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private let output: FileHandle
    private let width: Int

    /// Draws on `output` (standard error by default), `width` characters wide.
    public init(output: FileHandle = .standardError, width: Int = 80) {
        self.output = output
        self.width = max(40, width)
    }

    public func started(_ descriptor: Descriptor, upload: Bool) {
        lock.withLock {
            bars.append(Bar(descriptor: descriptor, upload: upload))
            draw(force: true)
        }
    }

    public func advanced(_ digest: Digest, by bytes: Int) {
        lock.withLock {
            if let index = bars.lastIndex(where: { $0.descriptor.digest == digest && $0.outcome == nil }) {
                bars[index].done += Int64(bytes)
            }
            draw(force: false)
        }
    }

    public func finished(_ descriptor: Descriptor, outcome: BlobOutcome) {
        lock.withLock {
            if let index = bars.lastIndex(where: { $0.descriptor.digest == descriptor.digest && $0.outcome == nil }) {
                bars[index].outcome = outcome
                bars[index].done = descriptor.size
            } else {
                bars.append(Bar(descriptor: descriptor, upload: true, done: descriptor.size, outcome: outcome))
            }
            draw(force: true)
        }
    }

    public func note(_ message: String) {
        lock.withLock {
            erase()
            output.write(Data((message + "\n").utf8))
            draw(force: true)
        }
    }

    private func erase() {
        guard drawnLines > 0 else { return }
        output.write(Data("\u{1b}[\(drawnLines)A\u{1b}[J".utf8))
        drawnLines = 0
    }

    private func draw(force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        erase()
        var text = ""
        let barWidth = max(10, width - 50)
        for bar in bars {
            let fraction = bar.descriptor.size > 0 ? min(1, Double(bar.done) / Double(bar.descriptor.size)) : 1
            let filled = Int(fraction * Double(barWidth))
            let state = bar.outcome?.rawValue ?? (bar.upload ? "uploading" : "downloading")
            text += "\(bar.descriptor.digest.shortForm) [\(String(repeating: "=", count: filled))\(String(repeating: " ", count: barWidth - filled))] "
            text += "\(ByteCountText.format(bar.done))/\(ByteCountText.format(bar.descriptor.size)) \(state)\n"
        }
        output.write(Data(text.utf8))
        drawnLines = bars.count
    }
}

extension Digest {
    /// `sha256:` and the first 12 hex digits, as docker shows layers.
    var shortForm: String { "\(algorithm):\(encoded.prefix(12))" }
}
