/// The server side of the Engine.IO v4 heartbeat: the server pings every `pingInterval`, and the
/// client must answer each ping within `pingTimeout`.
///
/// Time is an input (a monotonic instant measured from any fixed origin), so tests drive it
/// without sleeping.
public struct EngineIOHeartbeat: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// Nothing is due yet.
        case none
        /// Send a ping now.
        case sendPing
        /// The client missed its pong: close the session.
        case timedOut
    }

    private enum State: Sendable, Hashable {
        case waitingToPing(at: Duration)
        case awaitingPong(deadline: Duration)
    }

    public let pingInterval: Duration
    public let pingTimeout: Duration
    private var state: State

    /// Starts the first interval at `now` (the moment the handshake is sent).
    public init(pingInterval: Duration, pingTimeout: Duration, now: Duration) {
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.state = .waitingToPing(at: now + pingInterval)
    }

    /// When ``timerFired(now:)`` next has something to do.
    public var nextDeadline: Duration {
        switch state {
        case .waitingToPing(let at): at
        case .awaitingPong(let deadline): deadline
        }
    }

    /// Whether a ping is out and unanswered.
    public var isAwaitingPong: Bool {
        if case .awaitingPong = state { return true }
        return false
    }

    public mutating func timerFired(now: Duration) -> Action {
        switch state {
        case .waitingToPing(let at):
            guard now >= at else { return .none }
            // The deadline counts from when the ping was due, not from when the timer got to
            // run: timeouts then fall at exact multiples of the configured values.
            state = .awaitingPong(deadline: at + pingTimeout)
            return .sendPing
        case .awaitingPong(let deadline):
            return now >= deadline ? .timedOut : .none
        }
    }

    /// A pong answers the outstanding ping and starts the next interval. A pong nobody asked for
    /// changes nothing: it must not postpone the next ping indefinitely.
    public mutating func pongReceived(now: Duration) {
        guard case .awaitingPong = state else { return }
        state = .waitingToPing(at: now + pingInterval)
    }
}
