/// The inputs and outputs of ``EngineIOSessionStateMachine``.
extension EngineIOSessionStateMachine {
    public enum Transport: Sendable, Hashable {
        case polling
        case webSocket
    }

    /// Why a session ended, as reported to the application.
    public enum CloseReason: Sendable, Hashable, CustomStringConvertible {
        /// The client sent a `close` packet.
        case clientClosed
        /// The client did not answer a ping in time.
        case pingTimeout
        /// The client sent something that is not Engine.IO.
        case parseError
        /// The connection carrying the session went away.
        case transportClosed
        /// The client broke the protocol (a second concurrent poll, a ping from the client,
        /// a payload over the limit, a socket that stopped reading).
        case transportError
        /// The server closed the session (the application or a shutdown).
        case serverClosed

        public var description: String {
            switch self {
            case .clientClosed: "client close"
            case .pingTimeout: "ping timeout"
            case .parseError: "parse error"
            case .transportClosed: "transport close"
            case .transportError: "transport error"
            case .serverClosed: "server close"
            }
        }
    }

    /// What to do with a GET long-poll request.
    public enum PollAction: Sendable, Hashable {
        /// Answer it now with the buffered packets.
        case respond
        /// Hold it until there is something to send (during an upgrade: until a `noop` is due or
        /// the upgrade completes).
        case park
        /// Answer it with the buffered packets followed by `close`; the session is over.
        case respondWithClose
        /// Refuse it with 400 "Bad request"; the session goes on (it is on WebSocket now).
        case reject
        /// A second poll while one is parked: refuse it, answer the parked one with `close`, and
        /// close the session.
        case rejectAndClose
    }

    /// What to do with a packet that arrived.
    public enum PacketAction: Sendable, Hashable {
        case none
        /// Hand the message to the application.
        case deliver
        /// Answer the probe with `3probe`. A parked poll gets its `noop` from the timer, a little
        /// later, so that an upgrade packet already on its way completes the upgrade first.
        case acknowledgeProbe
        /// Make the probe the active transport and flush the buffer into it; if `rejectParkedPoll`,
        /// refuse the poll that raced the upgrade with 400, as any poll after the upgrade is.
        case completeUpgrade(rejectParkedPoll: Bool)
        /// Close the probe connection; the session stays on polling.
        case abortProbe
        /// End the session.
        case close(CloseReason)
    }

    /// Where a packet came from.
    public enum Source: Sendable, Hashable {
        /// The active transport (POST bodies while polling, or the session's WebSocket).
        case activeTransport
        /// A WebSocket that asked to take over a polling session and has not finished.
        case probe
    }

    /// What to do when the server closes the session.
    public enum CloseAction: Sendable, Hashable {
        /// Already closed.
        case none
        /// Answer the parked poll with the buffer plus `close`.
        case respondToParkedPoll
        /// Keep the buffer for the client's next poll (which gets it plus `close`), until `closeTimeout`.
        case drainThenClose
        /// Nothing is waiting to be delivered: close the transport now.
        case closeTransport
    }

    /// What a timer firing asks for.
    public struct TimerOutcome: Sendable, Hashable {
        public var sendPing = false
        public var abortProbe = false
        /// Answer the parked poll with `noop` so the client lets go of polling during an upgrade.
        public var answerParkedPollWithNoop = false

        public init() {}
        public var close: CloseReason?
    }
}
