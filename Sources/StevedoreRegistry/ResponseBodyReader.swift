import AsyncHTTPClient
import Foundation
import NIOCore
import StevedoreCore

/// Reads a response body within the operation's time bound and an idle bound.
///
/// async-http-client's deadline ends with the response head, and its read timeout is one value for the whole
/// client: a body that stalls or drips would hold a transfer past `--timeout`. Here the body is read by a relay
/// task into a small queue while a watchdog ends the read as soon as the deadline passes or no byte arrived for
/// the idle timeout (containerd and go-containerregistry bound body reads the same way, with a per-read timer
/// on the connection). The relay is cancelled then, which closes the connection.
struct ResponseBodyReader {
    /// The registry, for messages.
    var registry: String
    /// The request, for messages: `GET /v2/…/blobs/sha256:…`.
    var request: String
    var deadline: OperationDeadline
    /// Seconds without a byte after which the read fails with a retryable ``TransientFailure``.
    var idleTimeout: Double
    /// Bytes a second the body must average over each `idleTimeout` spent waiting on the network, else the read
    /// fails with a retryable ``TransientFailure`` (a body that drips never trips the idle timeout).
    var minimumThroughput: Double

    /// Hands each buffer of the body to `each`, in order.
    ///
    /// - Throws: ``StevedoreError`` `timedOut` when the deadline passes, ``TransientFailure`` when the body
    ///   stalls for the idle timeout, the transport's error when the connection fails, or what `each` throws.
    func forEachBuffer(of response: HTTPClientResponse, _ each: (ByteBuffer) async throws -> Void) async throws {
        let channel = ByteBufferChannel(capacity: 2)
        let activity = ReadActivity()
        let body = response.body
        let relay = Task {
            do {
                for try await buffer in body {
                    activity.received(buffer.readableBytes)
                    try await channel.send(buffer)
                    activity.waiting()
                }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        let watchdog = Task { [self] in
            var mark = (seconds: 0.0, bytes: Int64(0))
            while !Task.isCancelled {
                let deadlineLeft = deadline.remaining
                if deadlineLeft <= 0 {
                    channel.finish(timedOut(bytes: activity.bytes))
                    relay.cancel()
                    return
                }
                let idle = activity.idleSeconds
                if idle >= idleTimeout {
                    channel.finish(TransientFailure(lastAnswer: "no byte from \(registry) for \(idleTimeout == idleTimeout.rounded() ? "\(Int(idleTimeout))" : "\(idleTimeout)") s while reading the answer to \(request) (\(activity.bytes) bytes read)"))
                    relay.cancel()
                    return
                }
                let network = activity.networkSeconds, received = activity.bytes
                if network - mark.seconds >= idleTimeout {
                    let rate = Double(received - mark.bytes) / (network - mark.seconds)
                    guard rate >= minimumThroughput else {
                        channel.finish(TransientFailure(lastAnswer: "\(registry) sent \(received - mark.bytes) bytes in \(Int(network - mark.seconds)) s while answering \(request), slower than \(Int(minimumThroughput)) bytes a second"))
                        relay.cancel()
                        return
                    }
                    mark = (network, received)
                }
                let wait = max(0.05, min(deadlineLeft, idleTimeout - idle, idleTimeout / 4))
                try? await Task.sleep(for: .milliseconds(Int64(min(wait, 3600) * 1000) + 10))
            }
        }
        defer {
            watchdog.cancel()
            relay.cancel()
            channel.cancel()
        }
        try await withTaskCancellationHandler {
            var bytes: Int64 = 0
            while let buffer = try await channel.next() {
                bytes += Int64(buffer.readableBytes)
                // The deadline is checked on every chunk too, not only by the watchdog's timer.
                guard deadline.remaining > 0 else { throw timedOut(bytes: bytes) }
                try await each(buffer)
            }
        } onCancel: {
            channel.finish(CancellationError())
            relay.cancel()
        }
    }

    private func timedOut(bytes: Int64) -> StevedoreError {
        StevedoreError(.timedOut, "gave up on \(registry) after \(deadline.elapsedText): the time bound of \(RegistryTransport.seconds(deadline.seconds)) ran out while reading the answer to \(request) (\(bytes) bytes read)")
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    func collect(_ response: HTTPClientResponse, limit: Int, what: String) async throws -> Data {
        var data = Data()
        try await forEachBuffer(of: response) { buffer in
            guard data.count + buffer.readableBytes <= limit else {
                throw StevedoreError(.invalidResponse, "\(what) is larger than the \(limit) bytes allowed")
            }
            data.append(contentsOf: buffer.readableBytesView)
        }
        return data
    }
}

/// When the relay last received a byte, and whether it is waiting on the network (not on a slow consumer).
private final class ReadActivity: @unchecked Sendable {
    private let lock = NSLock()
    private var waitingSince: ContinuousClock.Instant? = .now
    private var waited: Duration = .zero
    private var total: Int64 = 0

    /// A buffer arrived; the relay now waits for the consumer, which is not the network's fault.
    func received(_ count: Int) {
        lock.lock()
        if let since = waitingSince { waited += ContinuousClock.now - since }
        waitingSince = nil
        total += Int64(count)
        lock.unlock()
    }

    /// Seconds spent waiting on the network so far, the current wait included.
    var networkSeconds: Double {
        lock.lock()
        var total = waited
        if let since = waitingSince { total += ContinuousClock.now - since }
        lock.unlock()
        return Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
    }

    /// The relay reads from the network again.
    func waiting() {
        lock.lock()
        waitingSince = .now
        lock.unlock()
    }

    var bytes: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return total
    }

    /// Seconds the relay has waited on the network for the next byte; zero while the consumer has a buffer.
    var idleSeconds: Double {
        lock.lock()
        let since = waitingSince
        lock.unlock()
        guard let since else { return 0 }
        let elapsed = ContinuousClock.now - since
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
