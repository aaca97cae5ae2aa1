/// A token bucket: `burst` tokens at most, refilled at `perSecond` tokens a second; each event
/// takes one. Time is an input (nanoseconds on any monotonic clock), so tests drive it.
public struct TokenBucket: Sendable, Equatable {
    private let capacity: Double
    private let nanosecondsPerToken: Double
    private var tokens: Double
    private var refilledAt: UInt64

    /// A full bucket at `now`. `perSecond` and `burst` must be positive.
    public init(perSecond: Int, burst: Int, now: UInt64) {
        precondition(perSecond > 0 && burst > 0, "a token bucket needs a positive rate and size")
        capacity = Double(burst)
        nanosecondsPerToken = 1e9 / Double(perSecond)
        tokens = capacity
        refilledAt = now
    }

    /// Takes a token if there is one at `now`; `false` means the event is over the limit. A `now`
    /// earlier than a previous one adds nothing, so a clock going backwards cannot mint tokens.
    public mutating func take(at now: UInt64) -> Bool {
        if now > refilledAt {
            tokens = min(capacity, tokens + Double(now - refilledAt) / nanosecondsPerToken)
            refilledAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
