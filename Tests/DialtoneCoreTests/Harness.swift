import DialtoneJSON
import Testing

@testable import DialtoneCore

/// A reproducible random source (SplitMix64) so generated call ids are the same on every run.
struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Everything the core holds, to prove that a failed request changed nothing.
struct CoreSnapshot: Equatable {
    let registry: DeviceRegistry
    let calls: [String: LiveCall]
    let callIdsByUser: [UserID: [String]]
    let activeCallCount: Int
    let deadlines: DeadlineQueue
    let history: History
    let historyVersion: UInt64
    let configuration: SignalingCore.Configuration

    init(_ core: SignalingCore) {
        registry = core.registry
        calls = core.calls
        callIdsByUser = core.callIdsByUser
        activeCallCount = core.activeCallCount
        deadlines = core.deadlines
        history = core.history
        historyVersion = core.historyVersion
        configuration = core.configuration
    }
}

/// Drives a core the way the daemon's owner does, with a clock that only moves when told.
struct Harness {
    static let start = Timestamp(milliseconds: 1_795_568_523_456)  // 2026-11-25T01:02:03.456Z

    var core: SignalingCore
    var now = Harness.start
    private var lastDevice: UInt64 = 0

    init(
        _ configuration: SignalingCore.Configuration = .init(), history: [CallRecord] = [], live: [LiveCall] = [],
        now: Timestamp = Harness.start
    ) {
        core = SignalingCore(
            configuration: configuration, history: history, restoring: live, now: now, random: SeededRandom(state: 42))
        self.now = now
    }

    var snapshot: CoreSnapshot { CoreSnapshot(core) }

    /// Connects a new anonymous device and registers it as `userId`.
    mutating func device(_ userId: UserID, sourceLocation: SourceLocation = #_sourceLocation) -> DeviceID {
        let device = connect(.anonymous).device
        let outcome = request(device, "register", ["userId": .string(userId)])
        #expect(outcome.ok != nil, "register \(userId) failed: \(String(describing: outcome.reply))", sourceLocation: sourceLocation)
        return device
    }

    mutating func connect(_ identity: Identity) -> (device: DeviceID, outcome: Outcome) {
        lastDevice += 1
        let device = DeviceID(lastDevice)
        return (device, core.connect(device, identity: identity, now: now))
    }

    /// Decodes the event as a transport would, then applies it.
    mutating func request(_ device: DeviceID, _ event: String, _ payload: JSON = [:]) -> Outcome {
        do {
            return core.handle(try DeviceRequest(event: event, payload: payload), from: device, now: now)
        } catch {
            return Outcome(reply: .failure(error))
        }
    }

    mutating func disconnect(_ device: DeviceID) -> Outcome { core.disconnect(device, now: now) }

    mutating func advance(by duration: Duration) -> Outcome {
        now = now + duration
        return core.advance(to: now)
    }

    /// Places a call and returns its id, expecting success.
    mutating func call(
        _ caller: DeviceID, to callees: [UserID], extra: JSONObject = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        var payload: JSONObject = ["to": .array(callees.map { .string($0) })]
        for member in extra { payload[member.key] = member.value }
        let outcome = request(caller, "call", .object(payload))
        guard let callId = outcome.ok?["callId"]?.stringValue else {
            Issue.record("call failed: \(String(describing: outcome.reply))", sourceLocation: sourceLocation)
            return ""
        }
        return callId
    }
}

extension Outcome {
    var ok: JSONObject? {
        if case .success(let body) = reply { return body }
        return nil
    }

    var errorCode: ErrorCode? {
        if case .failure(let error) = reply { return error.code }
        return nil
    }

    var errorMessage: String? {
        if case .failure(let error) = reply { return error.message }
        return nil
    }

    /// Every message sent, as (device, event, payload).
    var sends: [(device: DeviceID, event: String, payload: JSON)] {
        actions.compactMap { action in
            if case .send(let device, let event, let payload) = action { return (device, event, payload) }
            return nil
        }
    }

    func events(to device: DeviceID) -> [String] {
        sends.filter { $0.device == device }.map(\.event)
    }

    func payloads(_ event: String, to device: DeviceID) -> [JSON] {
        sends.filter { $0.device == device && $0.event == event }.map(\.payload)
    }

    func recipients(of event: String) -> Set<DeviceID> {
        Set(sends.filter { $0.event == event }.map(\.device))
    }

    var endedRecords: [CallRecord] {
        observations.compactMap { observation in
            if case .callEnded(let record) = observation { return record }
            return nil
        }
    }
}
