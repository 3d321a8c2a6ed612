import StevedoreCore

/// How a layer of a build came to be.
public enum LayerOutcome: Hashable, Sendable {
    /// Where a reused layer's blob was found.
    public enum Place: String, Hashable, Sendable {
        /// In the store the image is written to (an OCI layout output).
        case output
        /// In the cache directory.
        case cache
        /// In the repository the image is pushed to.
        case registry
    }

    /// Tarred and compressed now.
    case written
    /// Its inputs were seen before and their blob was found: nothing was compressed.
    case reused(Place)
}

/// Receives the progress of the layers of a build, from the build's task and the writer's threads.
public protocol LayerProgress: Sendable {
    /// Layer `index` (0-based, of `count`), described by `name`, starts; `size` is the sum of its file sizes.
    func started(index: Int, count: Int, name: String, size: Int64)
    /// `bytes` uncompressed bytes of layer `index` are written so far.
    func advanced(index: Int, bytes: Int64)
    /// Layer `index` is done.
    func finished(index: Int, layer: WrittenLayer, outcome: LayerOutcome, elapsed: Duration)
}

/// Reports nothing (`--quiet`, library callers).
public struct SilentLayerProgress: LayerProgress {
    public init() {}
    public func started(index: Int, count: Int, name: String, size: Int64) {}
    public func advanced(index: Int, bytes: Int64) {}
    public func finished(index: Int, layer: WrittenLayer, outcome: LayerOutcome, elapsed: Duration) {}
}
