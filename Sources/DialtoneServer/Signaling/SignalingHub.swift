import DialtoneCore
import DialtoneJSON
import NIOConcurrencyHelpers
import NIOCore

/// The one owner of the signaling state: every transport calls in here, one transition at a time
/// under a lock, and the resulting messages are handed to the target connections after the lock is
/// released. No transition awaits anything, so the lock is held for microseconds.
public final class SignalingHub: Sendable {
    private struct State {
        var core: SignalingCore
        var connections: [DeviceID: any DeviceConnection] = [:]
        var lastDeviceID: UInt64 = 0
        var timer: Scheduled<Void>?
        var timerDeadline: Timestamp?
    }

    private let state: NIOLockedValueBox<State>
    private let clock: any Clock
    private let timerLoop: any EventLoop
    private let observe: @Sendable ([Observation]) -> Void

    /// - Parameters:
    ///   - timerLoop: where ring timeouts and reconnect-grace expiries fire.
    ///   - observe: told of every call and presence change, after the change.
    public init(
        core: SignalingCore,
        clock: any Clock,
        timerLoop: any EventLoop,
        observe: @escaping @Sendable ([Observation]) -> Void = { _ in }
    ) {
        self.state = NIOLockedValueBox(State(core: core))
        self.clock = clock
        self.timerLoop = timerLoop
        self.observe = observe
        // A restored call may already have a deadline.
        apply { core, now in core.advance(to: now) }
    }

    /// Adds a connected device; an identity from the handshake registers it at once.
    public func connect(_ connection: any DeviceConnection, identity: Identity) -> (DeviceID, Outcome) {
        var device = DeviceID(0)
        let outcome = applyToState { state, now in
            state.lastDeviceID += 1
            device = DeviceID(state.lastDeviceID)
            state.connections[device] = connection
            return state.core.connect(device, identity: identity, now: now)
        }
        return (device, outcome)
    }

    /// - Parameter verbatim: for a relay request, its body as the sender's JSON text, handed to
    ///   the recipients' connections with the messages, which carry that body unchanged.
    public func handle(_ request: DeviceRequest, from device: DeviceID, verbatim: VerbatimMember? = nil) -> Outcome {
        applyToState(verbatim: verbatim) { state, now in state.core.handle(request, from: device, now: now) }
    }

    /// A relay request whose body is the sender's JSON text: the hot path, which builds no
    /// request, payload or outcome. Each recipient's connection gets the message once the lock
    /// is released; the failure is the request's answer (success: ``SignalingCore/relayAck``).
    public func relay(
        _ kind: RelayKind, callId: String, to target: UserID?, body: VerbatimMember, from device: DeviceID
    ) -> Result<Void, SignalingError> {
        let routed = state.withLockedValue { state -> Result<(UserID, [any DeviceConnection]), SignalingError> in
            state.core.route(kind, callId: callId, to: target, from: device).map { route in
                (route.from, route.recipients.compactMap { state.connections[$0] })
            }
        }
        switch routed {
        case .success(let (from, connections)):
            let message = RelayMessage(kind: kind, callId: callId, from: from, body: body)
            for connection in connections { connection.send(relay: message) }
            return .success(())
        case .failure(let error):
            return .failure(error)
        }
    }

    public func disconnect(_ device: DeviceID) {
        applyToState { state, now in
            state.connections[device] = nil
            return state.core.disconnect(device, now: now)
        }
    }

    /// `POST /call-end`.
    public func endCall(callId: String?, requestedBy userId: UserID) -> Outcome {
        apply { core, now in core.endCall(callId: callId, requestedBy: userId, now: now) }
    }

    /// A transition that doesn't need the device table (admin actions of the control interface).
    @discardableResult
    public func apply(_ transition: (inout SignalingCore, Timestamp) -> Outcome) -> Outcome {
        applyToState { state, now in transition(&state.core, now) }
    }

    /// Reads the state; keep `body` short, transports wait for it.
    public func read<T>(_ body: (SignalingCore) -> T) -> T {
        state.withLockedValue { body($0.core) }
    }

    @discardableResult
    private func applyToState(
        verbatim: VerbatimMember? = nil, _ transition: (inout State, Timestamp) -> Outcome
    ) -> Outcome {
        let now = clock.now()
        let (outcome, deliveries) = state.withLockedValue { state in
            let outcome = transition(&state, now)
            let deliveries = outcome.actions.compactMap { action -> (any DeviceConnection, Action)? in
                switch action {
                case .send(let device, _, _), .close(let device, _):
                    state.connections[device].map { ($0, action) }
                }
            }
            rescheduleTimer(&state, now: now)
            return (outcome, deliveries)
        }
        for (connection, action) in deliveries {
            switch action {
            case .send(_, let event, let payload):
                if let verbatim {
                    connection.send(event: event, payload: payload, verbatim: verbatim)
                } else {
                    connection.send(event: event, payload: payload)
                }
            case .close(_, let reason): connection.close(reason: reason)
            }
        }
        if !outcome.observations.isEmpty { observe(outcome.observations) }
        return outcome
    }

    private func rescheduleTimer(_ state: inout State, now: Timestamp) {
        let deadline = state.core.nextDeadline
        guard deadline != state.timerDeadline else { return }
        state.timer?.cancel()
        state.timerDeadline = deadline
        state.timer = deadline.map { deadline in
            let delay = TimeAmount.milliseconds(max(0, deadline.milliseconds - now.milliseconds))
            return timerLoop.scheduleTask(in: delay) { [weak self] in
                self?.fireTimer()
            }
        }
    }

    private func fireTimer() {
        applyToState { state, now in
            state.timerDeadline = nil
            state.timer = nil
            return state.core.advance(to: now)
        }
    }
}
