import StevedoreCore

/// Reads a layer blob from a ``BlobSource`` and checks it with ``LayerScanner``; for `stevedore verify`.
public struct LayerReader: Sendable {
    /// Creates a reader.
    public init() {}

    /// Streams the blob named by `descriptor` and reports its diffID, entries and problems, including a
    /// ``LayerProblem/Kind/digestMismatch`` when the bytes do not match the descriptor's digest or size.
    ///
    /// - Throws: ``StevedoreError`` `unsupportedMediaType` for layers that are neither gzip nor uncompressed
    ///   tar, or the source's error when the blob cannot be read.
    public func read(_ descriptor: Descriptor, from source: any BlobSource) async throws -> LayerReport {
        let scanner = try LayerScanner(mediaType: descriptor.mediaType)
        try await source.readBlob(descriptor) { chunk in
            try scanner.consume(chunk)
        }
        var report = try scanner.finish()
        if report.blobDigest != descriptor.digest || report.blobSize != descriptor.size {
            report.problems.insert(LayerProblem(
                .digestMismatch,
                "the blob has digest \(report.blobDigest) and \(report.blobSize) bytes, but its descriptor says \(descriptor.digest) and \(descriptor.size) bytes"
            ), at: 0)
        }
        return report
    }
}
