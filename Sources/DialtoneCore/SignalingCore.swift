import DialtoneJSON

/// The signaling rules: users and their devices, calls and history, as a value-type state machine.
///
/// Every input carries the current time and returns an `Outcome`: the ack, the messages to send
/// and what happened. The owner (one lock or one task) applies inputs one at a time and performs the
/// actions afterwards; the core does no I/O, reads no clock and never waits. Call `advance(to:)`
/// at `nextDeadline` for ring timeouts and reconnect-grace expiries.
///
/// A request that fails changes nothing, with one deliberate exception: a call refused because
/// every callee is busy is recorded in history with end reason `busy`.
public struct SignalingCore: Sendable {
    public private(set) var configuration: Configuration
    var registry = DeviceRegistry()
    var calls: [String: LiveCall] = [:]
    /// Live calls naming each user, in creation order.
    var callIdsByUser: [UserID: [String]] = [:]
    var activeCallCount = 0
    var deadlines = DeadlineQueue()
    var history: History
    /// Bumps on every change to history or live calls, so a saver can tell when to persist.
    public internal(set) var historyVersion: UInt64 = 0
    private var random: any RandomNumberGenerator & Sendable

    /// - Parameters:
    ///   - history: records loaded from disk, oldest first; the newest `historyLimit` are kept.
    ///   - live: calls persisted by a graceful stop. Each comes back with every present participant
    ///     in reconnect grace from `now`; a ringing call keeps its ring deadline, even a past one
    ///     (it then ends `no_answer` at the first `advance`). A call whose id is already live or in
    ///     history is skipped.
    ///   - random: source of generated call ids; inject a seeded generator for reproducible ids.
    public init(
        configuration: Configuration = Configuration(),
        history: [CallRecord] = [],
        restoring live: [LiveCall] = [],
        now: Timestamp,
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.configuration = configuration
        self.history = History(history, limit: configuration.historyLimit)
        self.random = random
        for call in live where calls[call.callId] == nil && !self.history.contains(callId: call.callId) {
            restore(call, now: now)
        }
    }

    /// Applies a new configuration: timeouts apply to calls and disconnects from now on; a smaller
    /// history limit drops the oldest records at once.
    public mutating func reconfigure(_ configuration: Configuration) {
        self.configuration = configuration
        let before = history.count
        history.setLimit(configuration.historyLimit)
        if history.count != before { historyVersion &+= 1 }
    }

    private mutating func restore(_ restored: LiveCall, now: Timestamp) {
        var call = restored
        let graceEnd = now + configuration.clampedReconnectGrace
        for index in call.participants.indices {
            call.participants[index].device = nil
            call.participants[index].reconnectDeadline = call.participants[index].isPresent ? graceEnd : nil
        }
        insert(call)
        deadlines.insert(graceEnd, callId: call.callId)
    }

    // MARK: Bookkeeping shared by the transitions

    mutating func insert(_ call: LiveCall) {
        calls[call.callId] = call
        for participant in call.participants {
            callIdsByUser[participant.userId, default: []].append(call.callId)
        }
        if call.answeredAt != nil { activeCallCount += 1 }
        if let ringDeadline = call.ringDeadline { deadlines.insert(ringDeadline, callId: call.callId) }
        historyVersion &+= 1
    }

    /// Changes a live call in place.
    mutating func update(_ callId: String, _ change: (inout LiveCall) -> Void) {
        guard calls[callId] != nil else { return }
        let wasAnswered = calls[callId]!.answeredAt != nil
        change(&calls[callId]!)
        if !wasAnswered, calls[callId]!.answeredAt != nil { activeCallCount += 1 }
        if !calls[callId]!.hasRingingInvitees { calls[callId]!.ringDeadline = nil }
        historyVersion &+= 1
    }

    mutating func remove(_ callId: String) -> LiveCall? {
        guard let call = calls.removeValue(forKey: callId) else { return nil }
        for userId in call.userIds {
            callIdsByUser[userId]?.removeAll { $0 == callId }
            if callIdsByUser[userId]?.isEmpty == true { callIdsByUser[userId] = nil }
        }
        if call.answeredAt != nil { activeCallCount -= 1 }
        historyVersion &+= 1
        return call
    }

    mutating func record(_ record: CallRecord) {
        history.append(record)
        historyVersion &+= 1
    }

    /// Starts a participant's reconnect grace.
    mutating func suspend(_ userId: UserID, in callId: String, now: Timestamp, into outcome: inout Outcome) {
        guard let index = calls[callId]?.index(of: userId) else { return }
        let deadline = now + configuration.clampedReconnectGrace
        update(callId) { call in
            call.participants[index].device = nil
            call.participants[index].reconnectDeadline = deadline
        }
        deadlines.insert(deadline, callId: callId)
        outcome.observe(.participantDisconnected(callId: callId, userId: userId, until: deadline))
    }

    /// The devices that should hear about a call for this participant: its call device once
    /// joined, every device of the user while ringing, none in grace or after leaving.
    func callDevices(of participant: Participant, into devices: inout [DeviceID]) {
        switch participant.state {
        case .joined:
            if let device = participant.device { devices.append(device) }
        case .ringing:
            devices.append(contentsOf: registry.devices(of: participant.userId))
        case .left:
            break
        }
    }

    /// Ids of the user's calls in which it is still present, in creation order.
    func presentCallIds(of userId: UserID) -> [String] {
        (callIdsByUser[userId] ?? []).filter { calls[$0]?.participant(userId)?.isPresent == true }
    }

    func isBusy(_ userId: UserID) -> Bool {
        callIdsByUser[userId]?.contains { calls[$0]?.participant(userId)?.isPresent == true } ?? false
    }

    mutating func newCallId(now: Timestamp) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        while true {
            var bits = random.next()
            var suffix = ""
            for _ in 0..<9 {
                suffix.append(alphabet[Int(bits % 36)])
                bits /= 36
            }
            let callId = "call_\(now.milliseconds)_\(suffix)"
            if calls[callId] == nil, !history.contains(callId: callId) { return callId }
        }
    }

    /// Drops queue entries that no longer match a pending deadline, so `nextDeadline` is exact.
    mutating func pruneDeadlines() {
        while let entry = deadlines.first, !hasDeadline(entry) { deadlines.removeFirst() }
    }

    private func hasDeadline(_ entry: DeadlineQueue.Entry) -> Bool {
        guard let call = calls[entry.callId] else { return false }
        return call.ringDeadline == entry.time || call.participants.contains { $0.reconnectDeadline == entry.time }
    }
}
