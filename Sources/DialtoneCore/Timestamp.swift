/// A point in time as Unix epoch milliseconds: the only time the core knows, always given by the caller.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Saturates instead of trapping, so a huge configured timeout can never crash the core.
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        let (sum, overflow) = lhs.milliseconds.addingReportingOverflow(rhs.wholeMilliseconds)
        return Timestamp(milliseconds: overflow ? (rhs < .zero ? .min : .max) : sum)
    }

    /// Milliseconds from `earlier` to `self`, never negative: a wall clock stepped backwards must not
    /// produce negative call durations.
    func milliseconds(since earlier: Timestamp) -> Int64 {
        let (difference, overflow) = milliseconds.subtractingReportingOverflow(earlier.milliseconds)
        return overflow ? (earlier.milliseconds < 0 ? .max : 0) : max(0, difference)
    }
}

extension Duration {
    /// Whole milliseconds, saturating at the bounds of `Int64`.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return sumOverflow ? (seconds < 0 ? .min : .max) : sum
    }
}
