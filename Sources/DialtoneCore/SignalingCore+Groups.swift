import DialtoneJSON

extension SignalingCore {
    /// `join_call`: an invited user who is not in the call (ringing, or left earlier) joins it on
    /// this device. Joined participants get `participant_joined`; when the joiner was ringing, its
    /// other devices stop with `answered_elsewhere`. The second joined participant makes an
    /// unanswered call active. A user present in another live call is `busy`, as for `call`.
    /// Reply `{ok, callId, joined: [the other joined users]}`.
    mutating func join(_ callId: String, from device: DeviceID, now: Timestamp) throws(SignalingError) -> Outcome {
        let (userId, index) = try participation(in: callId, for: device, event: "join_call")
        let previousState = calls[callId]!.participants[index].state
        guard previousState != .joined else {
            throw .invalidState("join_call: you are already in call \(quoted(callId))")
        }
        if let current = presentCallIds(of: userId).first(where: { $0 != callId }) {
            throw .busy("join_call: you are already in call \(quoted(current)); end it first")
        }
        update(callId) { call in
            call.participants[index].state = .joined
            call.participants[index].device = device
            call.participants[index].reconnectDeadline = nil
            if call.answeredAt == nil, call.joinedCount >= 2 { call.answeredAt = now }
        }
        let call = calls[callId]!
        var outcome = Outcome()
        let joined: JSONObject = ["callId": .string(callId), "userId": .string(userId)]
        var others: [JSON] = []
        for (position, participant) in call.participants.enumerated()
        where position != index && participant.state == .joined {
            others.append(.string(participant.userId))
            if let peer = participant.device { outcome.send(peer, "participant_joined", joined) }
        }
        if previousState == .ringing {
            outcome.send(
                otherDevices(of: userId, than: device), "call_ended",
                callEndedPayload(callId, by: userId, reason: "answered_elsewhere", duration: 0))
        }
        outcome.observe(.participantJoined(callId: callId, userId: userId))
        outcome.succeed(["ok": true, "callId": .string(callId), "joined": .array(others)])
        return outcome
    }

    /// `leave_call`: a joined participant leaves. If the call can go on, the joined participants get
    /// `participant_left`; otherwise it ends for everyone (`hangup`, or `cancelled` if unanswered).
    /// Reply `{ok, callId}`, plus `duration` and `endReason` when leaving ended the call.
    mutating func leave(_ callId: String, from device: DeviceID, now: Timestamp) throws(SignalingError) -> Outcome {
        let (_, index) = try participation(in: callId, for: device, event: "leave_call")
        switch calls[callId]!.participants[index].state {
        case .joined:
            break
        case .ringing:
            throw .invalidState("leave_call: you have not joined call \(quoted(callId)); decline it with reject_call")
        case .left:
            throw .invalidState("leave_call: you already left call \(quoted(callId))")
        }
        var outcome = Outcome()
        let reason: EndReason = calls[callId]!.answeredAt == nil ? .cancelled : .hangup
        var body: JSONObject = ["ok": true, "callId": .string(callId)]
        if let record = depart(callId, participantAt: index, reason: reason, except: device, now: now, into: &outcome) {
            body["duration"] = .number(JSONNumber(record.duration))
            body["endReason"] = .string(record.endReason.rawValue)
        }
        outcome.succeed(body)
        return outcome
    }

    /// A participant leaves (by request or at the end of its reconnect grace). If the call can go
    /// on, the joined participants get `participant_left`; otherwise the call ends with `reason`,
    /// caused by the departing user, and its record is returned.
    @discardableResult
    mutating func depart(
        _ callId: String, participantAt index: Int, reason: EndReason, except device: DeviceID?, now: Timestamp,
        into outcome: inout Outcome
    ) -> CallRecord? {
        let userId = calls[callId]!.participants[index].userId
        update(callId) { call in
            call.participants[index].state = .left
            call.participants[index].device = nil
            call.participants[index].reconnectDeadline = nil
        }
        let call = calls[callId]!
        guard call.canContinue else {
            return finish(
                callId, reason: reason, by: userId, now: now, notify: .participants(except: device), into: &outcome)
        }
        let left: JSONObject = ["callId": .string(callId), "userId": .string(userId)]
        for participant in call.participants where participant.state == .joined {
            if let peer = participant.device { outcome.send(peer, "participant_left", left) }
        }
        outcome.observe(.participantLeft(callId: callId, userId: userId, reason: reason))
        return nil
    }
}
