import Foundation
import StevedoreCore

/// A failure that another attempt may cure: a lost connection or a 408, 429, 5xx answer.
struct TransientFailure: Error {
    /// `503 Service Unavailable`, or the connection error.
    var lastAnswer: String
    /// The `Retry-After` the registry asked for, in seconds.
    var retryAfter: Double?
}

extension RegistryTransport {
    /// Runs `body` until it succeeds, retrying ``TransientFailure``s by the policy within the deadline.
    func withRetries<T>(_ what: String, registry: String, deadline: OperationDeadline, _ body: () async throws -> T) async throws -> T {
        let policy = configuration.retryPolicy
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await body()
            } catch let failure as TransientFailure {
                let times = attempt == 1 ? "once" : "\(attempt) times"
                if attempt >= policy.maximumAttempts {
                    throw StevedoreError(.retriesExhausted, "\(registry) kept failing: \(what) was tried \(times); the last answer was \(failure.lastAnswer)")
                }
                let delay = min(failure.retryAfter ?? policy.delay(afterAttempt: attempt), 300)
                guard delay < deadline.remaining else {
                    throw StevedoreError(.timedOut, "gave up on \(registry) after \(deadline.elapsedText) (the time bound is \(Self.seconds(deadline.seconds))): \(what) was tried \(times); the last answer was \(failure.lastAnswer)")
                }
                configuration.progress.note("\(registry): \(what): \(failure.lastAnswer); retrying in \((delay * 10).rounded() / 10) s")
                logger.debug("retrying", metadata: ["registry": "\(registry)", "request": "\(what)", "answer": "\(failure.lastAnswer)"])
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            }
        }
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return seconds.isFinite ? min(max(0, seconds), 300) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: trimmed).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func seconds(_ value: Double) -> String { value < 10 ? "\(value) s" : "\(Int(value)) s" }
}

extension RegistryTransport {
    /// `error` as it should leave a body read: Stevedore's own errors, transient failures and cancellation as
    /// they are; anything else (the connection broke) as a ``TransientFailure`` that the retry loop answers.
    static func asTransient(_ error: any Error, lastAnswer: @autoclosure () -> String) -> any Error {
        switch error {
        case is StevedoreError, is TransientFailure, is CancellationError: error
        default: TransientFailure(lastAnswer: "\(lastAnswer()): \(describe(error))")
        }
    }
}
