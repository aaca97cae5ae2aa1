import DialtoneJSON

extension SignalingCore {
    /// When `advance(to:)` next has work: the earliest ring timeout or reconnect-grace expiry.
    public var nextDeadline: Timestamp? { deadlines.first?.time }

    /// Applies every ring timeout and reconnect-grace expiry due by `now`, earliest first. Ended
    /// calls are recorded as ending at `now`, the time the core learnt of it.
    ///
    /// - Ring timeout: in an unanswered call everyone still ringing gets `call_ended` `no_answer`,
    ///   as does the caller, and the call ends `no_answer`; in an answered group call the invitees
    ///   who never answered just stop ringing.
    /// - Grace expiry: the participant leaves; a call that cannot go on without it (any 1:1 call)
    ///   ends `disconnected`, caused by that user.
    public mutating func advance(to now: Timestamp) -> Outcome {
        var outcome = Outcome()
        while let entry = deadlines.first, entry.time <= now {
            deadlines.removeFirst()
            runDueWork(of: entry.callId, now: now, into: &outcome)
        }
        pruneDeadlines()
        return outcome
    }

    private mutating func runDueWork(of callId: String, now: Timestamp, into outcome: inout Outcome) {
        while let call = calls[callId] {
            var due: (time: Timestamp, participant: Int?)?
            if let ringDeadline = call.ringDeadline, ringDeadline <= now { due = (ringDeadline, nil) }
            for (index, participant) in call.participants.enumerated() {
                guard let deadline = participant.reconnectDeadline, deadline <= now else { continue }
                if due == nil || deadline < due!.time { due = (deadline, index) }
            }
            guard let due else { return }
            if let index = due.participant {
                depart(callId, participantAt: index, reason: .disconnected, except: nil, now: now, into: &outcome)
            } else {
                ringOut(callId, now: now, into: &outcome)
            }
        }
    }

    private mutating func ringOut(_ callId: String, now: Timestamp, into outcome: inout Outcome) {
        let call = calls[callId]!
        guard call.answeredAt != nil else {
            finish(callId, reason: .noAnswer, by: nil, now: now, notify: .participants(except: nil), into: &outcome)
            return
        }
        let noAnswer = callEndedPayload(callId, by: nil, reason: EndReason.noAnswer.rawValue, duration: 0)
        for (index, participant) in call.participants.enumerated() where participant.state == .ringing {
            outcome.send(registry.devices(of: participant.userId), "call_ended", noAnswer)
            update(callId) { call in
                call.participants[index].state = .left
                call.participants[index].reconnectDeadline = nil
            }
            outcome.observe(.participantLeft(callId: callId, userId: participant.userId, reason: .noAnswer))
        }
        update(callId) { $0.ringDeadline = nil }
    }
}
