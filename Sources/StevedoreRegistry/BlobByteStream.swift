import Foundation
import NIOCore
import StevedoreCore

/// A blob read from a ``BlobSource`` as an `AsyncSequence` of buffers, with bounded memory: the reader
/// runs ahead of the consumer by at most a few chunks. Each iteration reads the blob again from its
/// source, which is what makes a request body replayable.
struct BlobByteStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let source: any BlobSource
    let descriptor: Descriptor
    let progress: (any TransferProgress)?

    final class AsyncIterator: AsyncIteratorProtocol {
        private let channel: ByteBufferChannel
        private let producer: Task<Void, Never>
        private let progress: (any TransferProgress)?
        private let digest: Digest

        init(source: any BlobSource, descriptor: Descriptor, progress: (any TransferProgress)?) {
            let channel = ByteBufferChannel(capacity: 2)
            self.channel = channel
            self.progress = progress
            self.digest = descriptor.digest
            producer = Task {
                do {
                    try await source.readBlob(descriptor) { chunk in
                        try await channel.send(ByteBuffer(bytes: chunk))
                    }
                    channel.finish(nil)
                } catch {
                    channel.finish(error)
                }
            }
        }

        func next() async throws -> ByteBuffer? {
            let buffer = try await channel.next()
            if let buffer { progress?.advanced(digest, by: buffer.readableBytes) }
            return buffer
        }

        deinit {
            channel.cancel()
            producer.cancel()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source, descriptor: descriptor, progress: progress)
    }
}

/// A queue of at most `capacity` buffers between one producer and one consumer; each side waits
/// for the other when the queue is full or empty.
final class ByteBufferChannel: @unchecked Sendable {
    private let lock = NSLock()
    private let capacity: Int
    private var buffered: [ByteBuffer] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var waitingConsumer: CheckedContinuation<ByteBuffer?, any Error>?
    private var waitingProducer: CheckedContinuation<Void, any Error>?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Hands a buffer to the consumer, waiting while the queue is full.
    func send(_ buffer: ByteBuffer) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            lock.lock()
            if cancelled {
                lock.unlock()
                continuation.resume(throwing: CancellationError())
                return
            }
            if let consumer = waitingConsumer {
                waitingConsumer = nil
                lock.unlock()
                consumer.resume(returning: buffer)
                continuation.resume()
                return
            }
            buffered.append(buffer)
            if buffered.count < capacity {
                lock.unlock()
                continuation.resume()
                return
            }
            waitingProducer = continuation
            lock.unlock()
        }
    }

    /// The next buffer, or `nil` after the producer finished; rethrows the producer's error.
    func next() async throws -> ByteBuffer? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ByteBuffer?, any Error>) in
            lock.lock()
            if !buffered.isEmpty {
                let buffer = buffered.removeFirst()
                let producer = waitingProducer
                waitingProducer = nil
                lock.unlock()
                producer?.resume()
                continuation.resume(returning: buffer)
                return
            }
            if finished {
                let failure = self.failure
                lock.unlock()
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) }
                return
            }
            waitingConsumer = continuation
            lock.unlock()
        }
    }

    /// Ends the stream, with an error or normally; the first call wins.
    func finish(_ error: (any Error)?) {
        lock.lock()
        if finished {
            lock.unlock()
            return
        }
        finished = true
        failure = error
        let consumer = waitingConsumer
        waitingConsumer = nil
        lock.unlock()
        if let consumer {
            if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
        }
    }

    /// The consumer is gone: releases a waiting producer and drops what is queued.
    func cancel() {
        lock.lock()
        cancelled = true
        buffered.removeAll()
        let producer = waitingProducer
        waitingProducer = nil
        let consumer = waitingConsumer
        waitingConsumer = nil
        lock.unlock()
        producer?.resume(throwing: CancellationError())
        consumer?.resume(throwing: CancellationError())
    }
}
