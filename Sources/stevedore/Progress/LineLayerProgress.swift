import Foundation
import StevedoreArchive
import StevedoreCore

/// One line per finished layer, for logs and CI: what it is, and either how fast it was compressed or where
/// it was found.
struct LineLayerProgress: LayerProgress {
    private let write: @Sendable (String) -> Void

    init(write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.write = write
    }

    func started(index: Int, count: Int, name: String, size: Int64) {
        names.set(index, name: name, count: count)
    }

    func advanced(index: Int, bytes: Int64) {}

    func finished(index: Int, layer: WrittenLayer, outcome: LayerOutcome, elapsed: Duration) {
        write(Self.summary(index: index, names: names, layer: layer, outcome: outcome, elapsed: elapsed))
    }

    private let names = LayerNames()

    /// `Layer 3/3 (stevedore: executable /usr/local/bin/app): 70.1 MB compressed to 25.3 MB in 2.1 s (33.4 MB/s)`.
    static func summary(index: Int, names: LayerNames, layer: WrittenLayer, outcome: LayerOutcome, elapsed: Duration) -> String {
        let head = "Layer \(names.position(index)) (\(names.name(index)))"
        switch outcome {
        case .written:
            let seconds = String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            return "\(head): \(ByteCountText.format(layer.uncompressedSize)) compressed to \(ByteCountText.format(layer.descriptor.size)) in \(seconds) s (\(ByteCountText.rate(layer.uncompressedSize, over: elapsed)))"
        case .reused(let place):
            return "\(head): unchanged, \(layer.descriptor.digest.encoded.prefix(12)) reused from \(place.text)"
        }
    }
}

extension LayerOutcome.Place {
    fileprivate var text: String {
        switch self {
        case .output: "the output"
        case .cache: "the cache"
        case .registry: "the registry"
        }
    }
}

/// The names of a build's layers by index, kept between the progress calls.
final class LayerNames: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [Int: String] = [:]
    private var count = 0

    func set(_ index: Int, name: String, count: Int) {
        lock.withLock {
            names[index] = name
            self.count = count
        }
    }

    func name(_ index: Int) -> String { lock.withLock { names[index] ?? "layer" } }
    func position(_ index: Int) -> String { lock.withLock { "\(index + 1)/\(count)" } }
}
