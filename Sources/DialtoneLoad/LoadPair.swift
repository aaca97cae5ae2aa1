/// One caller/callee pair of a relay or calls run, as a state machine: it takes the server's
/// events and returns what to send and what to count. Times are monotonic nanoseconds.
public struct LoadPair: Sendable {
    public enum Role: Sendable, Equatable {
        case caller, callee
    }

    public enum State: Sendable, Equatable {
        case idle, calling, active, ending, ended
    }

    /// A message one side of the pair sends.
    public enum Outgoing: Sendable, Equatable {
        /// From the caller, with an ack id.
        case call(ackID: Int)
        /// From the callee.
        case accept(callId: String)
        /// `sequence` only in calls mode, as sioload.
        case ice(callId: String, sequence: UInt64?, timestamp: UInt64)
        /// From the caller.
        case end(callId: String)
    }

    public enum Action: Sendable, Equatable {
        case send(Role, Outgoing)
        /// Relay: an ICE candidate sent at `sentAt` reached the callee.
        case relayed(sentAt: UInt64)
        /// Relay: the call is up; the pair can stream.
        case becameActive
        /// Calls: a lifecycle that started at `startedAt` ended at the callee.
        case completedCall(startedAt: UInt64)
        /// The server sent something this pair cannot use (an `incoming_call` without callId).
        case protocolError
    }

    public let mode: LoadMode
    public let window: Int
    public let icePerDirection: Int
    public private(set) var state = State.idle
    public private(set) var callId = ""
    /// Relay: ICE candidates sent and not yet received.
    public private(set) var inFlight = 0
    private var accepted = false
    private var iceToCallee = 0
    private var iceToCaller = 0
    private var endSent = false
    private var callAckID: Int?
    private var nextAckID = 0
    private var sequence: UInt64 = 0
    private var callStartedAt: UInt64 = 0

    public init(mode: LoadMode, window: Int, icePerDirection: Int) {
        self.mode = mode
        self.window = window
        self.icePerDirection = icePerDirection
    }

    /// Whether the pair still has work the drain phase waits for.
    public var isBusy: Bool {
        switch mode {
        case .relay: inFlight > 0
        case .calls, .idle: state == .calling || state == .active || state == .ending
        }
    }

    /// The caller places a call.
    public mutating func startCall(now: UInt64) -> [Action] {
        let ackID = nextAckID
        nextAckID += 1
        callAckID = ackID
        state = .calling
        accepted = false
        endSent = false
        iceToCallee = 0
        iceToCaller = 0
        callId = ""
        callStartedAt = now
        return [.send(.caller, .call(ackID: ackID))]
    }

    /// Relay: tops the caller's in-flight candidates up to the window.
    public mutating func fill(now: UInt64) -> [Action] {
        guard mode == .relay, state == .active, inFlight < window else { return [] }
        var actions: [Action] = []
        actions.reserveCapacity(window - inFlight)
        while inFlight < window {
            actions.append(.send(.caller, .ice(callId: callId, sequence: nil, timestamp: now)))
            inFlight += 1
        }
        return actions
    }

    /// Relay, at the end of the run: the caller hangs up.
    public mutating func hangUp() -> [Action] {
        guard state == .active else { return [] }
        state = .ending
        endSent = true
        return [.send(.caller, .end(callId: callId))]
    }

    /// Whether `id` acknowledges this pair's last call.
    public func isCallAck(_ id: Int) -> Bool { callAckID == id }

    /// A server event for one side; `running` is false once the measured window is over, when
    /// no new traffic starts.
    public mutating func received(_ event: ServerEvent, by role: Role, now: UInt64, running: Bool) -> [Action] {
        switch (event, role) {
        case (.incomingCall(let id), .callee):
            guard let id else { return [.protocolError] }
            callId = id
            var actions: [Action] = [.send(.callee, .accept(callId: id))]
            if mode == .calls {
                state = .active
                actions += iceBurst(from: .callee, now: now)
            }
            return actions
        case (.callAccepted(let id), .caller):
            if let id { callId = id }
            accepted = true
            if mode == .relay {
                guard state != .active else { return [] }
                state = .active
                return running ? [.becameActive] + fill(now: now) : [.becameActive]
            }
            state = .active
            return iceBurst(from: .caller, now: now) + endIfDone()
        case (.iceCandidate(let timestamp), _):
            if mode == .relay {
                guard role == .callee, let timestamp else { return [] }
                inFlight = max(0, inFlight - 1)
                return [.relayed(sentAt: timestamp)] + (running ? fill(now: now) : [])
            }
            if role == .callee { iceToCallee += 1 } else { iceToCaller += 1 }
            return endIfDone()
        case (.callEnded, .callee) where mode == .calls:
            guard state != .ended else { return [] }
            state = .ended
            let started = callStartedAt
            return [.completedCall(startedAt: started)] + (running ? startCall(now: now) : [])
        case (.callEnded, _) where mode == .relay:
            state = .ended
            return []
        default:
            return []
        }
    }

    private mutating func iceBurst(from role: Role, now: UInt64) -> [Action] {
        (0..<icePerDirection).map { _ in
            defer { sequence += 1 }
            return .send(role, .ice(callId: callId, sequence: sequence, timestamp: now))
        }
    }

    private mutating func endIfDone() -> [Action] {
        guard state == .active, !endSent, accepted, iceToCallee >= icePerDirection, iceToCaller >= icePerDirection
        else { return [] }
        endSent = true
        state = .ending
        return [.send(.caller, .end(callId: callId))]
    }
}
