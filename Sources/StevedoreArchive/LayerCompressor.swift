/// What ``LayerWriter`` streams a layer's tar into: a compressor that hands its output, in order, to a closure.
///
/// One thread calls ``append(_:)`` for every piece of the tar stream, then ``finish()`` once; or ``abandon()``
/// at any point after a failure, which stops any threads the compressor started without writing more.
protocol LayerCompressor: AnyObject {
    /// Adds bytes to the stream; may block while earlier bytes are compressed and written.
    func append(_ bytes: UnsafeRawBufferPointer) throws
    /// Compresses what is left and writes the end of the stream.
    func finish() throws
    /// Stops without writing anything more. Safe to call after ``finish()`` or a failure.
    func abandon()
}

extension LayerCompression {
    /// A compressor for this compression that writes to `output`.
    ///
    /// - Parameters:
    ///   - threads: How many threads compress at once; never changes the bytes.
    ///   - blockSize: The size of gzip's independently compressed blocks (zstd cuts its own jobs).
    /// - Throws: ``StevedoreError`` `compressionFailure` when the library cannot start a compressor.
    func makeCompressor(
        threads: Int, blockSize: Int, output: @escaping (UnsafeRawBufferPointer) throws -> Void
    ) throws -> any LayerCompressor {
        switch self {
        case .gzip(let level):
            ParallelGzipCompressor(level: level, threads: threads, blockSize: blockSize, output: output)
        case .zstd(let level):
            try ZstdCompressor(level: level, threads: threads, output: output)
        }
    }
}
