import DialtoneJSON

extension SignalingCore {
    /// `call`: rings every device of each callee. The caller must not be in another live call (so
    /// "the sender's only call" stays meaningful). Callees in another live call are busy: a call
    /// whose every callee is busy is refused with `busy` and recorded with end reason `busy`; in a
    /// group the others ring and the ack lists the busy ones under `busy`. Offline callees ring
    /// until the ring timeout and get the call when they register.
    mutating func placeCall(
        from device: DeviceID, to callees: [UserID], callId requestedId: String?, offer: JSON?, media: Media,
        metadata: JSON?, now: Timestamp
    ) throws(SignalingError) -> Outcome {
        guard let caller = registry.user(of: device) else { throw .notRegistered("call: register first") }
        guard !callees.isEmpty else { throw .badRequest("call: \"to\" must name at least one user") }
        for callee in callees {
            if let problem = configuration.problem(with: callee, named: "to") { throw .badRequest("call: \(problem)") }
        }
        guard !callees.contains(caller) else { throw .badRequest("call: you cannot call yourself") }
        guard Set(callees).count == callees.count else { throw .badRequest("call: \"to\" names a user twice") }
        guard callees.count < max(2, configuration.maxParticipants) else {
            throw .badRequest("call: at most \(configuration.maxParticipants) participants, caller included")
        }
        if let requestedId {
            if let problem = configuration.problem(with: requestedId, named: "callId") {
                throw .badRequest("call: \(problem)")
            }
            guard calls[requestedId] == nil, !history.contains(callId: requestedId) else {
                throw .badRequest("call: callId \(quoted(requestedId)) is already used")
            }
        }
        if let current = presentCallIds(of: caller).first {
            throw .busy("call: you are already in call \(quoted(current)); end it first")
        }
        let placed = (callIdsByUser[caller] ?? []).count { calls[$0]?.from == caller }
        guard placed < max(1, configuration.maxCallsPerUser) else {
            throw SignalingError(.rateLimited, "call: too many live calls (at most \(configuration.maxCallsPerUser))")
        }
        let busyCallees = callees.filter(isBusy)
        let callId = requestedId ?? newCallId(now: now)
        guard busyCallees.count < callees.count else {
            return refuseBusy(callId, from: caller, to: callees, media: media, now: now)
        }

        let participants =
            [Participant(userId: caller, state: .joined, device: device)]
            + callees.map { Participant(userId: $0, state: busyCallees.contains($0) ? .left : .ringing) }
        let call = LiveCall(
            callId: callId, from: caller, participants: participants, media: media, metadata: metadata, offer: offer,
            createdAt: now, ringDeadline: now + configuration.clampedRingTimeout)
        insert(call)
        var outcome = Outcome()
        outcome.observe(.callCreated(callId: callId, from: caller, participants: call.userIds, media: media))
        let incomingCall = JSON.object(call.incomingCallPayload)
        var delivered = 0
        for participant in participants.dropFirst() where participant.state == .ringing {
            let devices = registry.devices(of: participant.userId)
            guard !devices.isEmpty else { continue }
            for callee in devices { outcome.actions.append(.send(callee, event: "incoming_call", payload: incomingCall)) }
            delivered += devices.count
            outcome.send(device, "ringing", ["callId": .string(callId), "to": .string(participant.userId)])
            outcome.observe(.callRinging(callId: callId, userId: participant.userId, devices: devices.count))
        }
        var body: JSONObject = ["ok": true, "callId": .string(callId), "delivered": .number(JSONNumber(delivered))]
        if !busyCallees.isEmpty { body["busy"] = .array(busyCallees.map { .string($0) }) }
        outcome.succeed(body)
        return outcome
    }

    private mutating func refuseBusy(
        _ callId: String, from caller: UserID, to callees: [UserID], media: Media, now: Timestamp
    ) -> Outcome {
        let record = CallRecord(
            callId: callId, from: caller, participants: [caller] + callees, media: media, endReason: .busy,
            createdAt: now, answeredAt: nil, endedAt: now)
        self.record(record)
        let message =
            callees.count == 1
            ? "call: \(quoted(callees[0])) is in another call" : "call: everyone called is in another call"
        return Outcome(reply: .failure(.busy(message)), observations: [.callEnded(record)])
    }

    /// `accept_call`: the first accept makes the call active. The caller gets `call_accepted`, other
    /// joined participants `participant_joined`, and the accepting user's other devices
    /// `call_ended` with reason `answered_elsewhere`; the participant is bound to this device. The
    /// first accept's answer stays on the call: a caller in reconnect grace gets it when it resumes.
    mutating func accept(_ callId: String, answer: JSON?, from device: DeviceID, now: Timestamp) throws(SignalingError)
        -> Outcome
    {
        let (userId, index) = try invitation(to: callId, for: device, event: "accept_call")
        update(callId) { call in
            call.participants[index].state = .joined
            call.participants[index].device = device
            call.participants[index].reconnectDeadline = nil
            if call.answeredAt == nil { call.answeredAt = now }
            if call.answeredBy == nil {
                call.answer = answer
                call.answeredBy = userId
                call.callerAwaitsAnswer = call.participants[0].state == .joined && call.participants[0].device == nil
            }
        }
        let call = calls[callId]!
        var outcome = Outcome()
        if let caller = call.participants.first, caller.state == .joined, let callerDevice = caller.device {
            outcome.send(
                callerDevice, "call_accepted",
                ["callId": .string(callId), "from": .string(userId), "answer": answer ?? .null])
        }
        let joined: JSONObject = ["callId": .string(callId), "userId": .string(userId)]
        for (position, participant) in call.participants.enumerated().dropFirst()
        where position != index && participant.state == .joined {
            if let peer = participant.device { outcome.send(peer, "participant_joined", joined) }
        }
        outcome.send(otherDevices(of: userId, than: device), "call_ended", answeredElsewhere(callId, by: userId))
        outcome.observe(.callAccepted(callId: callId, userId: userId))
        outcome.succeed(["ok": true, "callId": .string(callId)])
        return outcome
    }

    /// `reject_call`: the caller gets `call_rejected` and the rejecting user's other devices stop
    /// ringing with `call_ended`. When nobody is left ringing in an unanswered call, it ends
    /// `rejected` (or `busy`); `call_rejected` is then the caller's last message for it.
    mutating func reject(_ callId: String, reason: RejectReason, from device: DeviceID, now: Timestamp)
        throws(SignalingError) -> Outcome
    {
        let (userId, index) = try invitation(to: callId, for: device, event: "reject_call")
        update(callId) { call in
            call.participants[index].state = .left
            call.participants[index].reconnectDeadline = nil
        }
        let call = calls[callId]!
        var outcome = Outcome()
        if let caller = call.participants.first, caller.state == .joined, let callerDevice = caller.device {
            outcome.send(
                callerDevice, "call_rejected",
                ["callId": .string(callId), "from": .string(userId), "reason": .string(reason.rawValue)])
        }
        outcome.send(
            otherDevices(of: userId, than: device), "call_ended",
            callEndedPayload(callId, by: userId, reason: reason.endReason.rawValue, duration: 0))
        outcome.observe(.callRejected(callId: callId, userId: userId, reason: reason))
        if !call.canContinue { finish(callId, reason: reason.endReason, by: userId, now: now, notify: .nobody, into: &outcome) }
        outcome.succeed(["ok": true, "callId": .string(callId)])
        return outcome
    }

    /// The registered user of `device` and its index in the call, where it must still be ringing.
    private func invitation(to callId: String, for device: DeviceID, event: String) throws(SignalingError) -> (
        UserID, Int
    ) {
        let (userId, index) = try participation(in: callId, for: device, event: event)
        switch calls[callId]!.participants[index].state {
        case .ringing:
            return (userId, index)
        case .joined:
            throw .invalidState("\(event): you are already in call \(quoted(callId))")
        case .left:
            throw .invalidState("\(event): you are no longer invited to call \(quoted(callId))")
        }
    }

    /// The registered user of `device` and its index among the participants of a live call.
    func participation(in callId: String, for device: DeviceID, event: String) throws(SignalingError) -> (
        UserID, Int
    ) {
        guard let userId = registry.user(of: device) else { throw .notRegistered("\(event): register first") }
        guard let call = calls[callId] else { throw .callNotFound("\(event): no live call \(quoted(callId))") }
        guard let index = call.index(of: userId) else {
            throw .notAParticipant("\(event): you are not a participant of call \(quoted(callId))")
        }
        return (userId, index)
    }

    func otherDevices(of userId: UserID, than device: DeviceID) -> [DeviceID] {
        registry.devices(of: userId).filter { $0 != device }
    }

    private func answeredElsewhere(_ callId: String, by userId: UserID) -> JSONObject {
        callEndedPayload(callId, by: userId, reason: "answered_elsewhere", duration: 0)
    }

    /// `call_ended {callId, fromUserId, reason, duration}`.
    func callEndedPayload(_ callId: String, by userId: UserID?, reason: String, duration: Double) -> JSONObject {
        [
            "callId": .string(callId),
            "fromUserId": userId.map { .string($0) } ?? .null,
            "reason": .string(reason),
            "duration": .number(JSONNumber(duration)),
        ]
    }
}
