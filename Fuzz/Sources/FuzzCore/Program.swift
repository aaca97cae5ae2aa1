import DialtoneCore
import DialtoneJSON
import FuzzSupport

let users = ["alice", "bob", "carol", "dave", ""]
let knownCallIds = ["c1", "c2", "c3", ""]
let configuration = SignalingCore.Configuration(
    ringTimeout: .seconds(3), reconnectGrace: .seconds(2), historyLimit: 4, maxIdentifierLength: 8, maxParticipants: 3)

/// One fuzzed program: the inputs it reads, the core it drives and the devices it holds.
struct Program {
    var input: FuzzInput
    var core = SignalingCore(configuration: configuration, now: Timestamp(milliseconds: 0), random: SplitMix(seed: 1))
    var now = Timestamp(milliseconds: 0)
    var devices: [DeviceID] = []
    var nextDevice: UInt64 = 1

    mutating func callId() -> String {
        let live = core.liveCalls().map(\.callId)
        return input.bool() && !live.isEmpty ? input.pick(live) : input.pick(knownCallIds)
    }

    mutating func value() -> JSON {
        switch input.choice(6) {
        case 0: .null
        case 1: .string(input.pick(users))
        case 2: .string(callId())
        case 3: .array([.string(input.pick(users)), .string(input.pick(users))])
        case 4: .object(["type": "offer", "sdp": "v=0"])
        default: .bool(input.bool())
        }
    }

    /// A payload built from the members the events read, so the fuzzer reaches deep states quickly.
    mutating func structuredPayload() -> JSON {
        let keys = ["userId", "callId", "to", "offer", "answer", "candidate", "sdp", "media", "reason", "metadata"]
        var members: JSONObject = [:]
        for _ in 0..<input.choice(4) {
            let key = input.pick(keys)
            switch key {
            case "callId": members[key] = .string(callId())
            case "to": members[key] = input.bool() ? .string(input.pick(users)) : value()
            case "media": members[key] = .string(input.pick(["audio", "video", "data", ""]))
            case "reason": members[key] = .string(input.pick(["busy", "declined", "nope"]))
            default: members[key] = value()
            }
        }
        return input.choice(8) == 0 ? value() : .object(members)
    }

    mutating func request(from device: DeviceID) {
        let event = input.pick(DeviceRequest.eventNames + ["bogus"])
        let payload: JSON
        if input.choice(4) == 0 {
            payload = (try? JSON(parsing: Array(input.chunk()))) ?? .null
        } else {
            payload = structuredPayload()
        }
        let request: DeviceRequest
        do {
            request = try DeviceRequest(event: event, payload: payload)
        } catch {
            fuzzCheck(error.code == .badRequest, "decoding \(event) \(payload) failed with \(error)")
            return
        }
        let before = Snapshot(core)
        let outcome = core.handle(request, from: device, now: now)
        refused(outcome, before: before, what: "\(request)", busyMayRecord: true)
    }

    /// A refused input changes nothing, except that a call refused as busy is recorded.
    func refused(_ outcome: Outcome, before: Snapshot, what: String, busyMayRecord: Bool = false) {
        guard case .failure(let error)? = outcome.reply else { return }
        if busyMayRecord, error.code == .busy { return }
        fuzzCheck(Snapshot(core) == before, "refused \(what) (\(error)) changed the core")
    }

    mutating func step() {
        switch input.choice(8) {
        case 0:
            let device = DeviceID(nextDevice)
            nextDevice += 1
            let identity: Identity =
                switch input.choice(3) {
                case 0: .anonymous
                case 1: .claimed(input.pick(users))
                default: .verified(input.pick(users))
                }
            let before = Snapshot(core)
            refused(core.connect(device, identity: identity, now: now), before: before, what: "connect \(identity)")
            devices.append(device)
        case 1:
            guard !devices.isEmpty else { return }
            let device = devices.remove(at: input.choice(devices.count))
            _ = core.disconnect(device, now: now)
        case 2, 3, 4:
            guard !devices.isEmpty else { return }
            request(from: input.pick(devices))
        case 5:
            let before = Snapshot(core)
            let callId: String? = input.bool() ? callId() : nil
            let user = input.pick(users)
            refused(core.endCall(callId: callId, requestedBy: user, now: now), before: before, what: "/call-end \(user)")
        case 6:
            let before = Snapshot(core)
            let callId = callId()
            refused(core.endCallAsAdmin(callId: callId, now: now), before: before, what: "admin end \(callId)")
        default:
            let step = Duration.milliseconds(250 * Int64(input.choice(16)))
            let target = input.bool() ? (core.nextDeadline ?? now + step) : now + step
            if target > now { now = target }
            _ = core.advance(to: now)
            if let deadline = core.nextDeadline {
                fuzzCheck(deadline > now, "deadline \(deadline.milliseconds) not after now \(now.milliseconds) after advance")
            }
        }
        checkInvariants()
    }

    func checkInvariants() {
        let status = core.status
        let live = core.liveCalls()
        fuzzCheck(status.ringingCalls + status.activeCalls == live.count, "status \(status) vs \(live.count) live calls")
        fuzzCheck(core.historyRecords.count <= configuration.historyLimit, "history over its limit")
        fuzzCheck(status.connectedDevices <= devices.count, "\(status.connectedDevices) devices but \(devices.count) connected")
        for call in live {
            fuzzCheck(call.participants.count <= configuration.maxParticipants, "call \(call.callId) too large")
            fuzzCheck(core.record(call.callId) == nil, "call \(call.callId) both live and in history")
            fuzzCheck(Set(call.userIds).count == call.userIds.count, "call \(call.callId) names a user twice")
        }
    }

    /// What a graceful stop persists comes back: all history, and only calls that were live.
    func checkRestore() {
        let restored = SignalingCore(
            configuration: configuration, history: core.historyRecords, restoring: core.persistableLiveCalls(), now: now)
        fuzzCheck(restored.historyRecords == core.historyRecords, "history changed across a restart")
        let liveIds = Set(core.liveCalls().map(\.callId))
        fuzzCheck(restored.liveCalls().allSatisfy { liveIds.contains($0.callId) }, "a restart invented a call")
    }
}
