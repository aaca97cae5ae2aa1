/// Latencies in microseconds, in sioload's buckets (exact below 128 µs, then 64 per power of two,
/// under 1.6 % error), so that both tools quote the same percentiles for the same samples.
public struct LatencyHistogram: Sendable {
    private static let bucketCount = 4096
    private var buckets = [UInt64](repeating: 0, count: LatencyHistogram.bucketCount)
    public private(set) var count: UInt64 = 0
    public private(set) var sum: UInt64 = 0
    public private(set) var maximum: UInt64 = 0

    public init() {}

    public mutating func record(microseconds value: UInt64) {
        buckets[Self.index(of: value)] += 1
        count += 1
        sum &+= value
        maximum = max(maximum, value)
    }

    /// The mean in microseconds; 0 when empty.
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// The lower bound of the bucket holding the `fraction` quantile (0.99 for p99); 0 when empty.
    public func percentile(_ fraction: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let wanted = min(UInt64(fraction * Double(count)), count - 1)
        var seen: UInt64 = 0
        for (index, bucketCount) in buckets.enumerated() {
            seen += bucketCount
            if seen > wanted { return Self.value(of: index) }
        }
        return maximum
    }

    static func index(of value: UInt64) -> Int {
        if value < 128 { return Int(value) }
        let shift = (63 - value.leadingZeroBitCount) - 6
        let index = (shift + 1) * 64 + Int((value >> UInt64(shift)) - 64)
        return min(index, bucketCount - 1)
    }

    static func value(of index: Int) -> UInt64 {
        if index < 128 { return UInt64(index) }
        let shift = index / 64 - 1
        return (UInt64(index % 64) + 64) << UInt64(shift)
    }
}
