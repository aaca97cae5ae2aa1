import DialtoneJSON

extension SignalingCore {
    /// Who hears `call_ended` when a call ends.
    enum EndNotice {
        /// The call devices of every participant still present, but not `except` (the requester,
        /// who gets the ack instead).
        case participants(except: DeviceID?)
        /// Every device of every participant still present (for `POST /call-end`, whose requester
        /// may have lost its socket).
        case everyDevice
        /// Nobody: the remaining participants were told otherwise (`call_rejected`).
        case nobody
    }

    /// `end_call`: ends the sender's call for everyone; see `resolveCall` for how the call is found.
    /// The reason is `cancelled` while nobody has answered, `hangup` afterwards.
    mutating func endCall(_ requestedId: String?, from device: DeviceID, now: Timestamp) throws(SignalingError)
        -> Outcome
    {
        guard let userId = registry.user(of: device) else { throw .notRegistered("end_call: register first") }
        let callId = try resolveCall(requestedId, for: userId, event: "end_call")
        return hangUp(callId, by: userId, now: now, notify: .participants(except: device))
    }

    /// `POST /call-end`: finds the call as `end_call` does for `userId`, who must be a participant
    /// but need not be connected. Every device of every participant still in the call gets
    /// `call_ended`, the requester's too. Reply `{ok, callId, duration}`.
    public mutating func endCall(callId requestedId: String?, requestedBy userId: UserID, now: Timestamp) -> Outcome {
        if let problem = configuration.problem(with: userId, named: "userId") {
            return .failure(.badRequest("call-end: \(problem)"))
        }
        let callId: String
        do {
            callId = try resolveCall(requestedId, for: userId, event: "call-end")
        } catch {
            return .failure(error)
        }
        let outcome = hangUp(callId, by: userId, now: now, notify: .everyDevice)
        pruneDeadlines()
        return outcome
    }

    /// The control interface's `calls.end`: ends any live call, by exact id, with reason `admin`.
    /// Reply `{ok, callId, duration}`.
    public mutating func endCallAsAdmin(callId: String, now: Timestamp) -> Outcome {
        guard calls[callId] != nil else { return .failure(.callNotFound("calls.end: no live call \(quoted(callId))")) }
        var outcome = Outcome()
        let record = finish(callId, reason: .admin, by: nil, now: now, notify: .participants(except: nil), into: &outcome)
        outcome.succeed(endedBody(record))
        pruneDeadlines()
        return outcome
    }

    private mutating func hangUp(_ callId: String, by userId: UserID, now: Timestamp, notify: EndNotice) -> Outcome {
        var outcome = Outcome()
        let reason: EndReason = calls[callId]?.answeredAt == nil ? .cancelled : .hangup
        let record = finish(callId, reason: reason, by: userId, now: now, notify: notify, into: &outcome)
        outcome.succeed(endedBody(record))
        return outcome
    }

    /// Finds the call a user means: an exact live call id (the user must be present in it), else a
    /// prefix matching exactly one of the user's own live calls, else (no id) the user's only live
    /// call. Never guesses: several candidates are `bad_request`.
    func resolveCall(_ requestedId: String?, for userId: UserID, event: String) throws(SignalingError) -> String {
        let own = presentCallIds(of: userId)
        guard let requestedId else {
            switch own.count {
            case 0: throw .callNotFound("\(event): you have no ringing or active call")
            case 1: return own[0]
            default: throw .badRequest("\(event): you are in \(own.count) calls; say which with \"callId\"")
            }
        }
        if let call = calls[requestedId] {
            guard let participant = call.participant(userId) else {
                throw .notAParticipant("\(event): you are not a participant of call \(quoted(requestedId))")
            }
            guard participant.isPresent else {
                throw .invalidState("\(event): you already left call \(quoted(requestedId))")
            }
            return requestedId
        }
        let matches = own.filter { $0.hasPrefix(requestedId) }
        switch matches.count {
        case 0:
            throw .callNotFound("\(event): no call of yours matches \(quoted(requestedId))")
        case 1:
            return matches[0]
        default:
            throw .badRequest(
                "\(event): \(quoted(requestedId)) is ambiguous: it matches \(matches.count) of your calls "
                    + "(\(matches.joined(separator: ", ")))")
        }
    }

    /// Removes a live call, records it in history and tells who should know.
    @discardableResult
    mutating func finish(
        _ callId: String, reason: EndReason, by userId: UserID?, now: Timestamp, notify: EndNotice,
        into outcome: inout Outcome
    ) -> CallRecord {
        let call = calls[callId]!
        var recipients: [DeviceID] = []
        switch notify {
        case .participants(let except):
            for participant in call.participants { callDevices(of: participant, into: &recipients) }
            if let except { recipients.removeAll { $0 == except } }
        case .everyDevice:
            for participant in call.participants where participant.isPresent {
                recipients.append(contentsOf: registry.devices(of: participant.userId))
            }
        case .nobody:
            break
        }
        _ = remove(callId)
        let record = CallRecord(
            callId: callId, from: call.from, participants: call.userIds, media: call.media, endReason: reason,
            createdAt: call.createdAt, answeredAt: call.answeredAt, endedAt: now)
        self.record(record)
        outcome.send(
            recipients, "call_ended", callEndedPayload(callId, by: userId, reason: reason.rawValue, duration: record.duration))
        outcome.observe(.callEnded(record))
        return record
    }

    private func endedBody(_ record: CallRecord) -> JSONObject {
        ["ok": true, "callId": .string(record.callId), "duration": .number(JSONNumber(record.duration))]
    }
}
