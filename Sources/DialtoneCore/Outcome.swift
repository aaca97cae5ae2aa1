import DialtoneJSON

/// What one transition produced: the answer to the request, messages to deliver, and what happened.
public struct Outcome: Sendable {
    /// The ack body of a request (`{"ok": true, ...}`), or why it failed; nil when the input was
    /// not a request (timers, disconnects).
    public var reply: Result<JSONObject, SignalingError>?
    /// To perform in order, after the transition, outside any lock.
    public var actions: [Action]
    /// One entry per call or presence change, for logs, metrics and the control event stream.
    public var observations: [Observation]

    public init(
        reply: Result<JSONObject, SignalingError>? = nil, actions: [Action] = [], observations: [Observation] = []
    ) {
        self.reply = reply
        self.actions = actions
        self.observations = observations
    }

    /// The ack body whether the request succeeded or not: the success body, or
    /// `{"ok": false, "error": {...}}`.
    public var ackBody: JSONObject? {
        switch reply {
        case .success(let body): body
        case .failure(let error): error.ackBody
        case nil: nil
        }
    }

    static func failure(_ error: SignalingError) -> Outcome { Outcome(reply: .failure(error)) }

    mutating func send(_ device: DeviceID, _ event: String, _ payload: JSONObject) {
        actions.append(.send(device, event: event, payload: .object(payload)))
    }

    mutating func send(_ devices: some Sequence<DeviceID>, _ event: String, _ payload: JSONObject) {
        let payload = JSON.object(payload)
        for device in devices { actions.append(.send(device, event: event, payload: payload)) }
    }

    mutating func observe(_ observation: Observation) { observations.append(observation) }

    mutating func succeed(_ body: JSONObject) { reply = .success(body) }
}
