/// The life of one Engine.IO session, independent of any I/O: which transport is active, the
/// long-poll in flight, the polling → WebSocket upgrade, heartbeats and closing.
///
/// Every input returns what the caller must do; the caller owns the sockets and the write
/// buffer and reports back. Time is an input (a monotonic instant from any fixed origin).
public struct EngineIOSessionStateMachine: Sendable {
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
        /// Answer it now with a `noop`: an upgrade is under way and the client must let go of polling.
        case respondNoop
        /// Hold it until there is something to send.
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
        /// Answer the probe with `3probe`; if `answerParkedPoll`, answer the parked poll with `noop`.
        case acknowledgeProbe(answerParkedPoll: Bool)
        /// Make the probe the active transport and flush the buffer into it; if `answerParkedPoll`,
        /// answer the parked poll with `noop`.
        case completeUpgrade(answerParkedPoll: Bool)
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
        public var close: CloseReason?
    }

    private enum Phase: Sendable, Hashable {
        case open
        case draining(deadline: Duration)
        case closed
    }

    private enum Upgrade: Sendable, Hashable {
        case none
        case probing(deadline: Duration)
        case probed(deadline: Duration)
    }

    public private(set) var transport: Transport
    public private(set) var isPollParked = false
    private var phase = Phase.open
    private var upgrade = Upgrade.none
    private var heartbeat: EngineIOHeartbeat
    private let upgradeTimeout: Duration
    private let closeTimeout: Duration

    /// A session whose handshake is sent at `now` over `transport`.
    public init(
        transport: Transport,
        pingInterval: Duration,
        pingTimeout: Duration,
        upgradeTimeout: Duration = .seconds(10),
        closeTimeout: Duration = .seconds(30),
        now: Duration
    ) {
        self.transport = transport
        self.heartbeat = EngineIOHeartbeat(pingInterval: pingInterval, pingTimeout: pingTimeout, now: now)
        self.upgradeTimeout = upgradeTimeout
        self.closeTimeout = closeTimeout
    }

    public var isClosed: Bool { phase == .closed }

    /// Whether a WebSocket probe is attached (opened and not yet completed or aborted).
    public var isProbing: Bool { upgrade != .none }

    /// The earliest instant at which ``timerFired(now:)`` has something to do.
    public var nextDeadline: Duration {
        var deadline = heartbeat.nextDeadline
        switch upgrade {
        case .none: break
        case .probing(let probeDeadline), .probed(let probeDeadline): deadline = min(deadline, probeDeadline)
        }
        if case .draining(let drainDeadline) = phase { deadline = min(deadline, drainDeadline) }
        return deadline
    }

    public mutating func pollRequested(hasBufferedPackets: Bool) -> PollAction {
        switch phase {
        case .closed:
            return .reject
        case .draining:
            phase = .closed
            return .respondWithClose
        case .open:
            break
        }
        guard transport == .polling else { return .reject }
        guard !isPollParked else {
            phase = .closed
            isPollParked = false
            return .rejectAndClose
        }
        if hasBufferedPackets { return .respond }
        if case .probed = upgrade { return .respondNoop }
        isPollParked = true
        return .park
    }

    /// The parked poll was answered (with data, a noop or because of an upgrade).
    public mutating func parkedPollAnswered() {
        isPollParked = false
    }

    /// The connection holding the parked poll went away before it was answered.
    public mutating func parkedPollAborted() -> CloseReason? {
        guard isPollParked else { return nil }
        isPollParked = false
        return closeNow(.transportClosed)
    }

    /// Whether a POST body may be processed: only while the session is open on polling.
    public var acceptsPostedData: Bool {
        phase == .open && transport == .polling
    }

    /// A WebSocket asked to take over this session. `true` accepts it as the probe.
    public mutating func probeRequested(now: Duration) -> Bool {
        guard phase == .open, transport == .polling, upgrade == .none else { return false }
        upgrade = .probing(deadline: now + upgradeTimeout)
        return true
    }

    /// The probe connection closed before completing the upgrade.
    public mutating func probeClosed() {
        guard transport == .polling else { return }
        upgrade = .none
    }

    public mutating func received(_ packet: EngineIOPacket, from source: Source, now: Duration) -> PacketAction {
        guard phase != .closed else { return .none }
        switch source {
        case .probe: return receivedOnProbe(packet)
        case .activeTransport: return receivedOnActiveTransport(packet, now: now)
        }
    }

    private mutating func receivedOnProbe(_ packet: EngineIOPacket) -> PacketAction {
        switch (upgrade, packet) {
        case (.probing(let deadline), .ping(let data)) where data == "probe":
            upgrade = .probed(deadline: deadline)
            return .acknowledgeProbe(answerParkedPoll: isPollParked)
        case (.probed, .upgrade):
            upgrade = .none
            transport = .webSocket
            let answerParkedPoll = isPollParked
            isPollParked = false
            return .completeUpgrade(answerParkedPoll: answerParkedPoll)
        case (.none, _):
            return .none
        default:
            upgrade = .none
            return .abortProbe
        }
    }

    private mutating func receivedOnActiveTransport(_ packet: EngineIOPacket, now: Duration) -> PacketAction {
        switch packet {
        case .message, .binary:
            return .deliver
        case .pong:
            heartbeat.pongReceived(now: now)
            return .none
        case .close:
            return closeNow(.clientClosed).map { .close($0) } ?? .none
        case .ping:
            // Engine.IO v4 heartbeats go from server to client only.
            return closeNow(.transportError).map { .close($0) } ?? .none
        case .open, .upgrade, .noop:
            return .none
        }
    }

    /// The payload of the active transport could not be parsed.
    public mutating func parseFailed() -> CloseReason? { closeNow(.parseError) }

    /// The active transport failed or went away.
    public mutating func transportFailed(_ reason: CloseReason) -> CloseReason? { closeNow(reason) }

    /// The server closes the session; `hasBufferedPackets` says whether polling data waits for the client.
    public mutating func close(hasBufferedPackets: Bool, now: Duration) -> CloseAction {
        guard phase == .open else { return .none }
        upgrade = .none
        if transport == .polling {
            if isPollParked {
                isPollParked = false
                phase = .closed
                return .respondToParkedPoll
            }
            if hasBufferedPackets {
                phase = .draining(deadline: now + closeTimeout)
                return .drainThenClose
            }
        }
        phase = .closed
        return .closeTransport
    }

    public mutating func timerFired(now: Duration) -> TimerOutcome {
        var outcome = TimerOutcome()
        if case .draining(let deadline) = phase {
            if now >= deadline {
                phase = .closed
                outcome.close = .serverClosed
            }
            return outcome
        }
        guard phase == .open else { return outcome }
        switch upgrade {
        case .probing(let deadline), .probed(let deadline):
            if now >= deadline {
                upgrade = .none
                outcome.abortProbe = true
            }
        case .none:
            break
        }
        switch heartbeat.timerFired(now: now) {
        case .none: break
        case .sendPing: outcome.sendPing = true
        case .timedOut:
            outcome.close = closeNow(.pingTimeout)
        }
        return outcome
    }

    private mutating func closeNow(_ reason: CloseReason) -> CloseReason? {
        guard phase != .closed else { return nil }
        phase = .closed
        upgrade = .none
        return reason
    }
}
