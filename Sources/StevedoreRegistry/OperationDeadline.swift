import NIOCore

/// The time bound of one pull or push: every request and every retry delay fits inside it.
struct OperationDeadline: Sendable {
    let start: ContinuousClock.Instant
    let seconds: Double

    /// The longest bound: one week (a larger or non-finite one is clamped, so no arithmetic overflows).
    static let maximumSeconds: Double = 7 * 24 * 3600

    init(seconds: Double) {
        self.start = .now
        self.seconds = seconds.isFinite ? min(max(seconds, 0), Self.maximumSeconds) : Self.maximumSeconds
    }

    /// Seconds left; zero or less when the bound is spent.
    var remaining: Double {
        let elapsed = ContinuousClock.now - start
        return seconds - (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Seconds since the operation started, for messages: `12.3 s`.
    var elapsedText: String {
        let elapsed = seconds - remaining
        return elapsed < 10 ? "\((elapsed * 10).rounded() / 10) s" : "\(Int(elapsed.rounded())) s"
    }

    /// The same instant for SwiftNIO.
    var nioDeadline: NIODeadline {
        .now() + .nanoseconds(Int64(max(0, remaining) * 1e9))
    }
}
