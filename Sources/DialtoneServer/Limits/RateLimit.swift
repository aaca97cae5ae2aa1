import DialtoneCore
import NIOCore

/// How many events a device connection may send: `eventsPerSecond` on average, `burst` at once.
/// With `eventsPerSecond` 0 nothing is counted at all.
public struct RateLimit: Sendable, Hashable {
    public var eventsPerSecond: Int
    public var burst: Int

    public init(eventsPerSecond: Int, burst: Int) {
        self.eventsPerSecond = eventsPerSecond
        self.burst = burst
    }

    /// No limit.
    public static let off = RateLimit(eventsPerSecond: 0, burst: 0)

    /// A full bucket for a new connection, or `nil` when the limit is off.
    func makeBucket() -> TokenBucket? {
        guard eventsPerSecond > 0 else { return nil }
        return TokenBucket(perSecond: eventsPerSecond, burst: max(1, burst), now: Self.now())
    }

    /// The clock buckets run on in the server.
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// The answer to an event over the limit, in an ack, an `error` event or a JSON-RPC error.
    static let refusal = SignalingError(.rateLimited, "too many events; slow down")
}
