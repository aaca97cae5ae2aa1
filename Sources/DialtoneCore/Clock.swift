#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the owner of a `SignalingCore` gets the `now` it passes in. The core itself never reads a clock.
public protocol Clock: Sendable {
    func now() -> Timestamp
}

/// The system's wall clock (`CLOCK_REALTIME`), since history records carry calendar times.
public struct SystemClock: Clock {
    public init() {}

    public func now() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(milliseconds: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
}
