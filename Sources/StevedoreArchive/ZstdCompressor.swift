import CZstd
import StevedoreCore

/// zstd compression through libzstd's multi-threaded streaming mode, with output that does not depend on the
/// number of threads.
///
/// libzstd cuts the stream into jobs whose size follows from the level (8 MiB at level 3), compresses them on
/// `nbWorkers` threads of its own and emits them in order. Its output is the same for any `nbWorkers` ≥ 1 but
/// differs from the single-threaded mode (`nbWorkers` 0), so the multi-threaded mode is used even for one
/// thread. The frame is pinned to carry a content checksum (XXH64, so a reader detects damage) and no content
/// size (the size is not known when the stream starts). The bytes also depend on the libzstd version: the
/// tests pin the digest for the version this project builds with.
///
/// One thread calls ``append(_:)`` and then ``finish()`` (or ``abandon()``); `output` is called on that
/// thread, in order. Memory is bounded by libzstd's job buffers, a few jobs per thread, whatever the input size.
final class ZstdCompressor: LayerCompressor {
    typealias Output = (UnsafeRawBufferPointer) throws -> Void

    private var context: OpaquePointer?
    private let output: Output
    private let outputBuffer: UnsafeMutableRawBufferPointer
    private var hasStarted = false
    private var isFinished = false

    /// Creates a compressor at `level` (1...19) with `threads` (≥ 1) worker threads.
    ///
    /// - Throws: ``StevedoreError`` `compressionFailure` when libzstd cannot make a context or refuses a
    ///   parameter (e.g. a libzstd built without threads).
    init(level: Int, threads: Int, output: @escaping Output) throws {
        guard let context = ZSTD_createCCtx() else {
            throw StevedoreError(.compressionFailure, "libzstd could not make a compression context (out of memory?)")
        }
        self.context = context
        self.output = output
        self.outputBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 64)
        let parameters: [(ZSTD_cParameter, Int, String)] = [
            (ZSTD_c_compressionLevel, level, "compression level \(level)"),
            (ZSTD_c_checksumFlag, 1, "the content checksum"),
            (ZSTD_c_contentSizeFlag, 0, "leaving out the content size"),
            (ZSTD_c_nbWorkers, max(1, threads), "\(max(1, threads)) worker threads (is libzstd built with multi-threading?)"),
        ]
        for (parameter, value, what) in parameters {
            let status = ZSTD_CCtx_setParameter(context, parameter, Int32(clamping: value))
            if ZSTD_isError(status) != 0 {
                throw StevedoreError(.compressionFailure, "libzstd refused \(what): \(Self.errorName(status))")
            }
        }
    }

    deinit {
        ZSTD_freeCCtx(context)
        outputBuffer.deallocate()
    }

    /// Adds bytes to the stream. Blocks while libzstd's job buffers are full.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try compress(bytes, directive: ZSTD_e_continue)
    }

    /// Compresses what is left, writes the end of the frame and stops libzstd's threads.
    func finish() throws {
        guard !isFinished else { return }
        // The first call must be `continue`: a first `end` would let libzstd see the whole input and pick the
        // single-threaded format for it.
        if !hasStarted { try compress(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_continue) }
        try compress(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end)
        isFinished = true
        abandon()
    }

    /// Stops libzstd's threads without writing anything more. Safe to call after ``finish()`` or a failure.
    func abandon() {
        ZSTD_freeCCtx(context)
        context = nil
    }

    private func compress(_ bytes: UnsafeRawBufferPointer, directive: ZSTD_EndDirective) throws {
        guard let context else {
            throw StevedoreError(.cancelled, "the layer was abandoned before it was complete")
        }
        hasStarted = true
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while true {
            var out = ZSTD_outBuffer(dst: outputBuffer.baseAddress, size: outputBuffer.count, pos: 0)
            // In the multi-threaded mode a call that can make no progress waits for a job, so this loop does not spin.
            let remaining = ZSTD_compressStream2(context, &out, &input, directive)
            if ZSTD_isError(remaining) != 0 {
                throw StevedoreError(.compressionFailure, "libzstd failed to compress the layer: \(Self.errorName(remaining))")
            }
            if out.pos > 0 {
                try writeOutput(UnsafeRawBufferPointer(rebasing: outputBuffer[0..<out.pos]))
            }
            let done = directive == ZSTD_e_end ? remaining == 0 : input.pos == input.size
            if done { return }
        }
    }

    private func writeOutput(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try output(bytes)
        } catch {
            throw StevedoreError(.sinkFailure, "writing the layer blob failed: \(error)", cause: error)
        }
    }

    static func errorName(_ code: Int) -> String {
        ZSTD_getErrorName(code).map { String(cString: $0) } ?? "error \(code)"
    }

    /// The libzstd version this process runs with, e.g. 10504 for 1.5.4; the bytes written depend on it.
    static var libraryVersion: UInt32 { ZSTD_versionNumber() }
}
