import CZlib
import CZstd
import StevedoreCore

/// Checks a layer blob pushed to it in chunks: decompresses it (gzip, several members allowed; zstd, several
/// frames allowed) or takes it as a plain tar, hashes the tar stream for the diffID, and lists the tar entries and any problems.
///
/// Memory stays bounded whatever the layer size: file data is skipped, never held; only the entry paths are
/// kept. Feed every chunk to ``consume(_:)`` in order, then call ``finish()`` once.
///
/// ```swift
/// let scanner = try LayerScanner(mediaType: descriptor.mediaType)
/// try await source.readBlob(descriptor) { try scanner.consume($0) }
/// let report = try scanner.finish()
/// ```
public final class LayerScanner {
    /// How the blob is compressed.
    public enum Compression: Sendable {
        case gzip
        case zstd
        case none
    }

    /// At most this many problems are kept; the rest are counted in ``LayerReport/omittedProblemCount``.
    public static let problemLimit = 100

    private enum Mode {
        /// Holding the first bytes until the format can be told.
        case sniffing
        case inflating
        case decompressingZstd
        case plain
        /// Nothing more is read (not a layer, or the compressed stream is broken).
        case stopped
    }

    private static let sniffLength = 512
    private static let outputSize = 256 << 10

    private let compression: Compression
    private var mode = Mode.sniffing
    private var sniffed: [UInt8] = []
    private var blobHasher = DigestHasher()
    private var tarHasher = DigestHasher()
    private var tar = TarEntryScanner(problemLimit: LayerScanner.problemLimit)
    private var extraProblems: [LayerProblem] = []
    private var stream: UnsafeMutablePointer<z_stream>?
    private var memberEnded = false
    private var zstdStream: OpaquePointer?
    /// Whether the last zstd frame read so far is complete (`ZSTD_decompressStream` returned 0).
    private var zstdFrameEnded = false
    private var isFinished = false
    private let output: UnsafeMutableRawBufferPointer

    /// A scanner for a blob compressed as `compression` says.
    public init(compression: Compression) {
        self.compression = compression
        self.output = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.outputSize, alignment: 64)
    }

    /// A scanner for a layer of media type `mediaType` (OCI or Docker; gzip, zstd or uncompressed).
    ///
    /// - Throws: ``StevedoreError`` `unsupportedMediaType` for other types.
    public convenience init(mediaType: MediaType) throws {
        if mediaType.isGzipLayer {
            self.init(compression: .gzip)
        } else if mediaType.isZstdLayer {
            self.init(compression: .zstd)
        } else if mediaType.isUncompressedLayer {
            self.init(compression: .none)
        } else {
            throw StevedoreError(.unsupportedMediaType, "layers of type \(mediaType) cannot be read; gzip, zstd and uncompressed tar layers can")
        }
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        ZSTD_freeDStream(zstdStream)
        output.deallocate()
    }

    /// Takes the next chunk of the blob.
    ///
    /// - Throws: ``StevedoreError`` `compressionFailure` when zlib or libzstd cannot start or runs out of memory, or
    ///   `invalidOptions` when called after ``finish()``. Problems in the data are reported, not thrown.
    public func consume(_ chunk: UnsafeRawBufferPointer) throws {
        guard !isFinished else {
            throw StevedoreError(.invalidOptions, "LayerScanner.consume was called after finish; make a new scanner for each blob")
        }
        blobHasher.update(chunk)
        switch mode {
        case .sniffing:
            sniffed.append(contentsOf: chunk)
            if sniffed.count >= Self.sniffLength { try decideFormat() }
        case .inflating:
            try inflate(chunk)
        case .decompressingZstd:
            decompressZstd(chunk)
        case .plain:
            deliver(chunk)
        case .stopped:
            break
        }
    }

    /// Ends the blob and returns what was found.
    public func finish() throws -> LayerReport {
        guard !isFinished else {
            throw StevedoreError(.invalidOptions, "LayerScanner.finish was called twice; make a new scanner for each blob")
        }
        if case .sniffing = mode { try decideFormat() }
        isFinished = true
        switch mode {
        case .inflating where !memberEnded:
            extraProblems.append(LayerProblem(.truncatedGzip, "the gzip stream stops before its end after \(blobHasher.count) bytes: the blob is truncated"))
        case .decompressingZstd where !zstdFrameEnded:
            extraProblems.append(LayerProblem(.truncatedZstd, "the zstd stream stops before the end of its frame after \(blobHasher.count) bytes: the blob is truncated"))
        case .inflating, .decompressingZstd, .plain:
            tar.finish()
        case .sniffing, .stopped:
            break
        }
        var problems = extraProblems + tar.problems
        var omitted = tar.omittedProblemCount
        if problems.count > Self.problemLimit {
            omitted += problems.count - Self.problemLimit
            problems.removeLast(problems.count - Self.problemLimit)
        }
        return LayerReport(
            diffID: tarHasher.finalize(),
            uncompressedSize: tarHasher.count,
            blobDigest: blobHasher.finalize(),
            blobSize: blobHasher.count,
            entries: tar.entries,
            problems: problems,
            omittedProblemCount: omitted,
            warnings: tar.warnings,
            omittedWarningCount: tar.omittedWarningCount
        )
    }

    private func decideFormat() throws {
        let head = sniffed
        sniffed = []
        let isGzip = head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b
        // A zstd frame, or a skippable frame (magic 0x184D2A5?), which may come first.
        let isZstd = head.count >= 4
            && (head[0..<4].elementsEqual([0x28, 0xb5, 0x2f, 0xfd]) || (head[0] & 0xf0 == 0x50 && head[1..<4].elementsEqual([0x2a, 0x4d, 0x18])))
        let isTar = head.count >= 263 && head[257..<262].elementsEqual("ustar".utf8)
        switch (compression, isGzip, isZstd) {
        case (.gzip, true, _):
            try startInflating()
            try head.withUnsafeBytes { try inflate($0) }
        case (.zstd, _, true):
            try startZstd()
            head.withUnsafeBytes { decompressZstd($0) }
        case (.gzip, false, true):
            extraProblems.append(LayerProblem(.mediaTypeMismatch, "the layer is labelled gzip but is zstd; label it application/vnd.oci.image.layer.v1.tar+zstd"))
            mode = .stopped
        case (.zstd, true, false):
            extraProblems.append(LayerProblem(.mediaTypeMismatch, "the layer is labelled zstd but is gzip; label it application/vnd.oci.image.layer.v1.tar+gzip"))
            mode = .stopped
        case (.gzip, false, false), (.zstd, false, false):
            let name = compression == .gzip ? "gzip" : "zstd"
            if isTar {
                extraProblems.append(LayerProblem(.mediaTypeMismatch, "the layer is labelled \(name) but is a plain tar; label it application/vnd.oci.image.layer.v1.tar or compress it with \(name)"))
                mode = .plain
                head.withUnsafeBytes { deliver($0) }
            } else {
                let magic = compression == .gzip ? "1f 8b" : "28 b5 2f fd"
                extraProblems.append(LayerProblem(.mediaTypeMismatch, "the layer is labelled \(name) but does not start with the \(name) magic bytes \(magic), nor is it a tar"))
                mode = .stopped
            }
        case (.none, true, _):
            extraProblems.append(LayerProblem(.mediaTypeMismatch, "the layer is labelled as an uncompressed tar but is gzip; label it application/vnd.oci.image.layer.v1.tar+gzip"))
            mode = .stopped
        case (.none, false, true) where !isTar:
            extraProblems.append(LayerProblem(.mediaTypeMismatch, "the layer is labelled as an uncompressed tar but is zstd; label it application/vnd.oci.image.layer.v1.tar+zstd"))
            mode = .stopped
        case (.none, false, _):
            mode = .plain
            head.withUnsafeBytes { deliver($0) }
        }
    }

    private func startInflating() throws {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw StevedoreError(.compressionFailure, "zlib could not start a decompressor (inflateInit2 returned \(status))")
        }
        self.stream = stream
        mode = .inflating
    }

    private func inflate(_ chunk: UnsafeRawBufferPointer) throws {
        guard let stream, let outputBase = output.baseAddress, chunk.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: chunk.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(chunk.count)
        // Every round consumes input or fills the output buffer (deflate expands at most 1032 times); the
        // bound only guards against a zlib bug.
        let maxRounds = chunk.count + 1032 * chunk.count / Self.outputSize + 16
        for _ in 0..<maxRounds {
            guard stream.pointee.avail_in > 0 else { return }
            var startsNewMember = false
            if memberEnded {
                // Another gzip member follows.
                guard inflateReset(stream) == Z_OK else {
                    throw StevedoreError(.compressionFailure, "zlib could not reset the decompressor")
                }
                memberEnded = false
                startsNewMember = true
            }
            stream.pointee.next_out = outputBase.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(Self.outputSize)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let produced = Self.outputSize - Int(stream.pointee.avail_out)
            if produced > 0 { deliver(UnsafeRawBufferPointer(start: outputBase, count: produced)) }
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                memberEnded = true
            case Z_BUF_ERROR:
                return
            case Z_MEM_ERROR:
                throw StevedoreError(.compressionFailure, "zlib ran out of memory while decompressing the layer")
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                let offset = blobHasher.count - Int64(stream.pointee.avail_in)
                let message = startsNewMember
                    ? "the bytes after the gzip stream, near offset \(offset), are not gzip (\(reason))"
                    : "the gzip stream is corrupt near offset \(offset): \(reason)"
                extraProblems.append(LayerProblem(.corruptGzip, message))
                memberEnded = true
                mode = .stopped
                return
            }
        }
        guard stream.pointee.avail_in > 0 else { return }
        throw StevedoreError(.compressionFailure, "zlib made no progress decompressing the layer")
    }

    private func startZstd() throws {
        guard let stream = ZSTD_createDStream() else {
            throw StevedoreError(.compressionFailure, "libzstd could not start a decompressor (out of memory?)")
        }
        // libzstd's default limit: a frame asking for a window above 128 MiB is reported, not decoded.
        let status = ZSTD_DCtx_setParameter(stream, ZSTD_d_windowLogMax, 27)
        guard ZSTD_isError(status) == 0 else {
            ZSTD_freeDStream(stream)
            throw StevedoreError(.compressionFailure, "libzstd refused the window limit: \(ZstdCompressor.errorName(status))")
        }
        zstdStream = stream
        mode = .decompressingZstd
    }

    private func decompressZstd(_ chunk: UnsafeRawBufferPointer) {
        guard let zstdStream, let outputBase = output.baseAddress, chunk.count > 0 else { return }
        var input = ZSTD_inBuffer(src: chunk.baseAddress, size: chunk.count, pos: 0)
        while true {
            let startsNewFrame = zstdFrameEnded && input.pos < input.size
            var out = ZSTD_outBuffer(dst: outputBase, size: Self.outputSize, pos: 0)
            let status = ZSTD_decompressStream(zstdStream, &out, &input)
            if out.pos > 0 { deliver(UnsafeRawBufferPointer(start: outputBase, count: out.pos)) }
            if ZSTD_isError(status) != 0 {
                let reason = ZstdCompressor.errorName(status)
                let offset = blobHasher.count - Int64(input.size - input.pos)
                let message = startsNewFrame
                    ? "the bytes after the zstd frame, near offset \(offset), are not zstd (\(reason))"
                    : "the zstd stream is corrupt near offset \(offset): \(reason)"
                extraProblems.append(LayerProblem(.corruptZstd, message))
                zstdFrameEnded = true
                mode = .stopped
                return
            }
            zstdFrameEnded = status == 0
            // Done when the input is used up and the output buffer was not filled (nothing is left to flush).
            if input.pos == input.size, out.pos < out.size { return }
        }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer) {
        tarHasher.update(bytes)
        tar.consume(bytes)
    }
}
