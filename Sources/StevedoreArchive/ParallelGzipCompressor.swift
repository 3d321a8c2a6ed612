import CZlib
import Foundation
import StevedoreCore

/// gzip compression spread over threads the way pigz does it, with output that does not depend on the
/// number of threads.
///
/// The input is cut into blocks of `blockSize` bytes. Each block is raw-deflated on its own, primed with the
/// 32 KiB of input before it as the dictionary, and ended with `Z_SYNC_FLUSH` (the last one with `Z_FINISH`),
/// so the pieces concatenate into one deflate stream. The gzip header (no name, mtime 0, OS 255) and the
/// trailer (CRC-32 combined from the blocks' CRCs, input size modulo 2^32) are written around them.
///
/// One producer thread calls ``append(_:)`` and then ``finish()`` (or ``abandon()``). Worker threads compress;
/// whichever worker completes the block that is next in order writes it, and any ready blocks after it, to
/// `output`, so `output` is called by one thread at a time, in order. At most `maxBlocksInFlight` blocks are
/// held between ``append(_:)`` and `output`, which bounds memory whatever the input size.
final class ParallelGzipCompressor: @unchecked Sendable {
    typealias Output = (UnsafeRawBufferPointer) throws -> Void

    private static let dictionarySize = 32 << 10
    private static let header: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]

    private struct Job {
        var index: Int
        var input: UnsafeMutableRawBufferPointer
        var count: Int
        var dictionary: [UInt8]
        var isLast: Bool
    }

    private struct CompressedBlock {
        var bytes: UnsafeMutableRawBufferPointer
        var count: Int
        var crc: UInt
        var inputCount: Int
    }

    private let level: Int32
    private let blockSize: Int
    private let maxBlocksInFlight: Int
    private let output: Output

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var completed: [Int: CompressedBlock] = [:]
    private var nextIndexToWrite = 0
    private var isWriting = false
    private var blocksInFlight = 0
    private var failure: (any Error)?
    private var isStopping = false
    private var liveWorkers = 0

    // Touched only by the thread that holds the writing role.
    private var crc: UInt = 0
    private var totalInput: UInt64 = 0

    // Touched only by the producer thread.
    private var current: UnsafeMutableRawBufferPointer
    private var currentCount = 0
    private var previousTail: [UInt8] = []
    private var nextIndex = 0
    private var isFinished = false

    /// Starts `threads` worker threads.
    init(level: Int, threads: Int, blockSize: Int, output: @escaping Output) {
        self.level = Int32(level)
        self.blockSize = blockSize
        self.maxBlocksInFlight = 2 * threads + 2
        self.output = output
        self.current = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 64)
        crc = crc32(0, nil, 0)
        liveWorkers = threads
        for number in 0..<threads {
            let thread = Thread { [self] in runWorker() }
            thread.name = "stevedore-gzip-\(number)"
            thread.start()
        }
    }

    deinit {
        current.deallocate()
        for job in pending { job.input.deallocate() }
        for block in completed.values { block.bytes.deallocate() }
    }

    /// Adds bytes to the stream. Blocks while too many blocks wait to be compressed or written.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let take = min(blockSize - currentCount, bytes.count - offset)
            if let source = bytes.baseAddress, let target = current.baseAddress {
                (target + currentCount).copyMemory(from: source + offset, byteCount: take)
            }
            currentCount += take
            offset += take
            if currentCount == blockSize {
                try submitCurrent(isLast: false)
            }
        }
    }

    /// Compresses what is left, waits for every block to be written, writes the trailer and stops the workers.
    func finish() throws {
        try submitCurrent(isLast: true)
        condition.lock()
        while blocksInFlight > 0, failure == nil { condition.wait() }
        isStopping = true
        condition.broadcast()
        while liveWorkers > 0 { condition.wait() }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        var trailer = [UInt8](repeating: 0, count: 8)
        let crc32Value = UInt32(truncatingIfNeeded: crc)
        let size = UInt32(truncatingIfNeeded: totalInput)
        for byte in 0..<4 {
            trailer[byte] = UInt8(truncatingIfNeeded: crc32Value >> (8 * byte))
            trailer[4 + byte] = UInt8(truncatingIfNeeded: size >> (8 * byte))
        }
        try trailer.withUnsafeBytes { try writeOutput($0) }
    }

    /// Stops the workers without writing anything more. Safe to call after ``finish()`` or a failure.
    func abandon() {
        condition.lock()
        if failure == nil { failure = StevedoreError(.cancelled, "the layer was abandoned before it was complete") }
        isStopping = true
        condition.broadcast()
        while liveWorkers > 0 { condition.wait() }
        condition.unlock()
    }

    private func submitCurrent(isLast: Bool) throws {
        guard !isFinished else { return }
        var tail: [UInt8] = []
        if !isLast, let base = current.baseAddress {
            tail = [UInt8](UnsafeRawBufferPointer(start: base + currentCount - Self.dictionarySize, count: Self.dictionarySize))
        }
        let job = Job(index: nextIndex, input: current, count: currentCount, dictionary: previousTail, isLast: isLast)
        condition.lock()
        while blocksInFlight >= maxBlocksInFlight, failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        pending.append(job)
        blocksInFlight += 1
        condition.broadcast()
        condition.unlock()
        nextIndex += 1
        previousTail = tail
        currentCount = 0
        if isLast {
            isFinished = true
            current = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 64)
        } else {
            current = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 64)
        }
    }

    private func runWorker() {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let initStatus = deflateInit2_(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        defer {
            if initStatus == Z_OK { deflateEnd(stream) }
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        condition.lock()
        if initStatus != Z_OK, failure == nil {
            failure = StevedoreError(.compressionFailure, "zlib could not start a compressor (deflateInit2 returned \(initStatus))")
            isStopping = true
            condition.broadcast()
        }
        while true {
            while pending.isEmpty, !isStopping { condition.wait() }
            if failure != nil || (isStopping && pending.isEmpty) { break }
            let job = pending.removeFirst()
            condition.unlock()
            let result = Result { try compress(job, stream: stream) }
            job.input.deallocate()
            condition.lock()
            switch result {
            case .failure(let error):
                if failure == nil { failure = error }
                isStopping = true
                condition.broadcast()
            case .success(let block):
                completed[job.index] = block
                if !isWriting { writeReadyBlocks() }
            }
        }
        liveWorkers -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Writes completed blocks in order while the next one is ready. Called with `condition` locked; returns
    /// with it locked.
    private func writeReadyBlocks() {
        isWriting = true
        defer { isWriting = false }
        while failure == nil, let block = completed.removeValue(forKey: nextIndexToWrite) {
            let index = nextIndexToWrite
            condition.unlock()
            let written = Result {
                if index == 0 { try Self.header.withUnsafeBytes { try writeOutput($0) } }
                try writeOutput(UnsafeRawBufferPointer(rebasing: block.bytes[0..<block.count]))
            }
            block.bytes.deallocate()
            crc = crc32_combine(crc, block.crc, off_t(block.inputCount))
            totalInput += UInt64(block.inputCount)
            condition.lock()
            if case .failure(let error) = written, failure == nil {
                failure = error
                isStopping = true
            }
            nextIndexToWrite += 1
            blocksInFlight -= 1
            condition.broadcast()
        }
    }

    private func writeOutput(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try output(bytes)
        } catch {
            throw StevedoreError(.sinkFailure, "writing the layer blob failed: \(error)", cause: error)
        }
    }

    private func compress(_ job: Job, stream: UnsafeMutablePointer<z_stream>) throws -> CompressedBlock {
        guard deflateReset(stream) == Z_OK else {
            throw StevedoreError(.compressionFailure, "zlib could not reset the compressor")
        }
        if !job.dictionary.isEmpty {
            let status = job.dictionary.withUnsafeBytes { dictionary in
                deflateSetDictionary(stream, dictionary.bindMemory(to: Bytef.self).baseAddress, uInt(dictionary.count))
            }
            guard status == Z_OK else {
                throw StevedoreError(.compressionFailure, "zlib could not set the dictionary (deflateSetDictionary returned \(status))")
            }
        }
        let flush = job.isLast ? Z_FINISH : Z_SYNC_FLUSH
        var capacity = Int(deflateBound(stream, uLong(job.count))) + 64
        var bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 64)
        var produced = 0
        stream.pointee.next_in = job.input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(job.count)
        // deflateBound makes one round enough; a few more only if zlib ever needs them.
        for _ in 0..<16 {
            stream.pointee.next_out = bytes.baseAddress.map { ($0 + produced).assumingMemoryBound(to: Bytef.self) }
            stream.pointee.avail_out = uInt(capacity - produced)
            let status = deflate(stream, flush)
            produced = capacity - Int(stream.pointee.avail_out)
            let done = job.isLast
                ? status == Z_STREAM_END
                : status == Z_OK && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0
            if done {
                let crcValue = crc32(0, job.input.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(job.count))
                return CompressedBlock(bytes: bytes, count: produced, crc: crcValue, inputCount: job.count)
            }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                bytes.deallocate()
                throw StevedoreError(.compressionFailure, "zlib failed to compress a block (deflate returned \(status))")
            }
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 64)
            if let source = bytes.baseAddress, let target = larger.baseAddress {
                target.copyMemory(from: source, byteCount: produced)
            }
            bytes.deallocate()
            bytes = larger
            capacity *= 2
        }
        bytes.deallocate()
        throw StevedoreError(.compressionFailure, "zlib did not finish a block of \(job.count) bytes")
    }
}

extension ParallelGzipCompressor: LayerCompressor {}
