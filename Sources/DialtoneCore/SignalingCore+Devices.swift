import DialtoneJSON

extension SignalingCore {
    /// A device connected. With a `claimed` or `verified` identity it is registered at once, which
    /// sends it `registered` (and any calls ringing for the user); the reply is then that
    /// registration's result, so a transport can refuse the connection when it failed (the device
    /// then stays connected but unregistered). Anonymous devices get no reply.
    public mutating func connect(_ device: DeviceID, identity: Identity, now: Timestamp) -> Outcome {
        guard registry.device(device) == nil else {
            return .failure(.internal("connect: device \(device) is already connected"))
        }
        registry.add(device, identity: identity)
        guard let userId = identity.userId else { return Outcome() }
        do {
            return try register(device, as: userId, now: now)
        } catch {
            return .failure(error)
        }
    }

    /// A device's connection is gone. Its calls keep the user for the reconnect grace: the
    /// participant whose call device it was, and a ringing invitee whose last device it was.
    public mutating func disconnect(_ device: DeviceID, now: Timestamp) -> Outcome {
        guard let removed = registry.remove(device), let userId = removed.userId else { return Outcome() }
        var outcome = Outcome()
        let lastDevice = registry.devices(of: userId).isEmpty
        for callId in callIdsByUser[userId] ?? [] {
            guard let participant = calls[callId]?.participant(userId) else { continue }
            let heldTheCall = participant.state == .joined && participant.device == device
            let lostTheRing = participant.state == .ringing && lastDevice && participant.reconnectDeadline == nil
            if heldTheCall || lostTheRing { suspend(userId, in: callId, now: now, into: &outcome) }
        }
        if lastDevice { outcome.observe(.userOffline(userId)) }
        pruneDeadlines()
        return outcome
    }

    /// Binds a device to a user. Registering again as the same user is allowed (it repeats the ack
    /// and resumes calls in grace); switching users on one connection is not.
    mutating func register(_ device: DeviceID, as userId: UserID, now: Timestamp) throws(SignalingError) -> Outcome {
        guard let entry = registry.device(device) else {
            throw .internal("register: device \(device) is not connected")
        }
        if let problem = configuration.problem(with: userId, named: "userId") { throw .badRequest("register: \(problem)") }
        if case .verified(let proven) = entry.identity, proven != userId {
            throw .unauthorized("register: this connection is authenticated as \(quoted(proven)), not \(quoted(userId))")
        }
        if let current = entry.userId, current != userId {
            throw .invalidState("register: this connection is already registered as \(quoted(current))")
        }
        let isNewDevice = entry.userId == nil
        let userWasOffline = registry.devices(of: userId).isEmpty
        var outcome = Outcome()
        if isNewDevice {
            registry.bind(device, to: userId)
            outcome.observe(.userOnline(userId, device))
        }
        let missedAnswers = resumeCalls(of: userId, on: device, into: &outcome)
        let body: JSONObject = [
            "ok": true,
            "userId": .string(userId),
            "sessionId": .string(device.description),
            "iceServers": configuration.iceServers,
            "calls": .array(presentCallIds(of: userId).compactMap { calls[$0]?.toJSON() }),
        ]
        outcome.send(device, "registered", body)
        if isNewDevice { ringPendingCalls(of: userId, on: device, callerHearsRinging: userWasOffline, into: &outcome) }
        // The ack's `calls` already carries each answer; the event is sent too so a client that
        // waits for `call_accepted` (as it would had it stayed connected) finishes negotiating.
        for payload in missedAnswers { outcome.send(device, "call_accepted", payload) }
        outcome.succeed(body)
        return outcome
    }

    /// Ends the reconnect grace of the user's participants: a joined one continues on `device`,
    /// a ringing one rings again. Returns the `call_accepted` payloads of the calls whose answer the
    /// user, as caller, missed while in grace; they count as delivered from now on.
    private mutating func resumeCalls(of userId: UserID, on device: DeviceID, into outcome: inout Outcome)
        -> [JSONObject]
    {
        var missedAnswers: [JSONObject] = []
        for callId in callIdsByUser[userId] ?? [] {
            guard let index = calls[callId]?.index(of: userId),
                let participant = calls[callId]?.participants[index], participant.reconnectDeadline != nil
            else { continue }
            update(callId) { call in
                call.participants[index].reconnectDeadline = nil
                if participant.state == .joined { call.participants[index].device = device }
            }
            if participant.state == .joined {
                outcome.observe(.participantResumed(callId: callId, userId: userId, device: device))
                if index == 0, let call = calls[callId], call.callerAwaitsAnswer {
                    missedAnswers.append(call.callAcceptedPayload)
                    update(callId) { $0.callerAwaitsAnswer = false }
                }
            }
        }
        return missedAnswers
    }

    /// Delivers `incoming_call` to a newly registered device for every call still ringing for the
    /// user. The caller hears `ringing` only when the callee was offline until now.
    private func ringPendingCalls(
        of userId: UserID, on device: DeviceID, callerHearsRinging: Bool, into outcome: inout Outcome
    ) {
        for callId in callIdsByUser[userId] ?? [] {
            guard let call = calls[callId], call.participant(userId)?.state == .ringing else { continue }
            outcome.send(device, "incoming_call", call.incomingCallPayload)
            outcome.observe(.callRinging(callId: callId, userId: userId, devices: 1))
            if callerHearsRinging, let caller = call.participants.first, caller.state == .joined,
                let callerDevice = caller.device
            {
                outcome.send(callerDevice, "ringing", ["callId": .string(callId), "to": .string(userId)])
            }
        }
    }
}
