/// How requests that fail transiently are retried: connection errors and resets, and the statuses
/// 408, 429, 500, 502, 503 and 504.
///
/// The delay before attempt *n* + 1 is `initialDelay × 2ⁿ⁻¹`, capped at `maximumDelay`, with "equal jitter"
/// (a random value between half and all of it); a `Retry-After` header replaces it. No delay takes the
/// operation past its time bound.
public struct RetryPolicy: Sendable, Hashable {
    /// How many times one request (or one blob upload) is tried in all.
    public var maximumAttempts: Int
    /// The delay before the first retry, in seconds.
    public var initialDelay: Double
    /// The longest delay between two attempts, in seconds.
    public var maximumDelay: Double

    /// Creates a policy.
    public init(maximumAttempts: Int = 8, initialDelay: Double = 0.5, maximumDelay: Double = 10) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = max(0, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
    }

    /// The statuses that are retried.
    public static let retryableStatuses: Set<UInt> = [408, 429, 500, 502, 503, 504]

    /// The delay after `attempt` (1-based) failed, in seconds, jitter included.
    public func delay(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let base = min(maximumDelay, initialDelay * pow2(exponent))
        return base / 2 + Double.random(in: 0...1) * base / 2
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        var remaining = Int(exponent)
        while remaining > 0 { value *= 2; remaining -= 1 }
        return value
    }
}
