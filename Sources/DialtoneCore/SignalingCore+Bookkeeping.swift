/// Index upkeep and lookups shared by the transitions.
extension SignalingCore {
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
