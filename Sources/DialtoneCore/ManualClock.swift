import Synchronization

/// A clock that moves only when told to: for tests and simulations.
public final class ManualClock: Clock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp = Timestamp(milliseconds: 0)) {
        current = Mutex(start)
    }

    public func now() -> Timestamp { current.withLock { $0 } }

    /// Moves the clock forward (or backward, for a negative duration) and returns the new time.
    @discardableResult
    public func advance(by duration: Duration) -> Timestamp {
        current.withLock { time in
            time = time + duration
            return time
        }
    }

    /// Jumps to `time`, forward or back.
    public func set(_ time: Timestamp) {
        current.withLock { $0 = time }
    }
}
