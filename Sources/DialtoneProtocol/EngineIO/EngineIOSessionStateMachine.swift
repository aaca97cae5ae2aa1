/// The life of one Engine.IO session, independent of any I/O: which transport is active, the
/// long-poll in flight, the polling → WebSocket upgrade, heartbeats and closing.
///
/// Every input returns what the caller must do; the caller owns the sockets and the write
/// buffer and reports back. Time is an input (a monotonic instant from any fixed origin).
public struct EngineIOSessionStateMachine: Sendable {
    private enum Phase: Sendable, Hashable {
        case open
        case draining(deadline: Duration)
        case closed
    }

    private enum Upgrade: Sendable, Hashable {
        case none
        case probing(deadline: Duration)
        /// `noopAt`: when a poll parked during the upgrade gets its `noop`.
        case probed(deadline: Duration, noopAt: Duration?)
    }

    public private(set) var transport: Transport
    public private(set) var isPollParked = false
    private var phase = Phase.open
    private var upgrade = Upgrade.none
    private var heartbeat: EngineIOHeartbeat
    private let upgradeTimeout: Duration
    private let closeTimeout: Duration
    /// How long a poll made during an upgrade is held before its `noop`: long enough for the
    /// upgrade packet already on its way to win, short enough not to stall a slow client. The
    /// reference server checks every 100 ms.
    public static let upgradeNoopDelay = Duration.milliseconds(100)

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
        // A draining session no longer pings: only its drain deadline is left.
        if case .draining(let drainDeadline) = phase { return drainDeadline }
        var deadline = heartbeat.nextDeadline
        switch upgrade {
        case .none: break
        case .probing(let probeDeadline): deadline = min(deadline, probeDeadline)
        case .probed(let probeDeadline, let noopAt): deadline = min(deadline, probeDeadline, noopAt ?? probeDeadline)
        }
        return deadline
    }

    public mutating func pollRequested(hasBufferedPackets: Bool, now: Duration) -> PollAction {
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
        if case .probed(let deadline, _) = upgrade {
            upgrade = .probed(deadline: deadline, noopAt: now + Self.upgradeNoopDelay)
        }
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
        case .probe: return receivedOnProbe(packet, now: now)
        case .activeTransport: return receivedOnActiveTransport(packet, now: now)
        }
    }

    private mutating func receivedOnProbe(_ packet: EngineIOPacket, now: Duration) -> PacketAction {
        switch (upgrade, packet) {
        case (.probing(let deadline), .ping(let data)) where data == "probe":
            upgrade = .probed(deadline: deadline, noopAt: isPollParked ? now + Self.upgradeNoopDelay : nil)
            return .acknowledgeProbe
        case (.probed, .upgrade):
            upgrade = .none
            transport = .webSocket
            let rejectParkedPoll = isPollParked
            isPollParked = false
            return .completeUpgrade(rejectParkedPoll: rejectParkedPoll)
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
        case .probing(let deadline), .probed(let deadline, nil):
            if now >= deadline {
                upgrade = .none
                outcome.abortProbe = true
            }
        case .probed(let deadline, let noopAt?):
            if now >= deadline {
                upgrade = .none
                outcome.abortProbe = true
            } else if now >= noopAt {
                upgrade = .probed(deadline: deadline, noopAt: nil)
                if isPollParked {
                    isPollParked = false
                    outcome.answerParkedPollWithNoop = true
                }
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
