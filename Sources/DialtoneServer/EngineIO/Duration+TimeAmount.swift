import NIOCore

extension Duration {
    /// The span in whole nanoseconds, rounded down.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// The same span as NIO's `TimeAmount`, rounded down to whole nanoseconds.
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}
