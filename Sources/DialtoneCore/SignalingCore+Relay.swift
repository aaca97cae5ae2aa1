import DialtoneJSON

extension SignalingCore {
    /// The ack body of a relay the core accepted.
    public static let relayAck: JSONObject = ["ok": true]

    /// `ice_candidate`, `offer`, `answer`: passes `body` on untouched as
    /// `{callId, from, candidate|sdp}` to the recipients ``route(_:callId:to:from:)`` finds.
    /// Changes no state.
    func relay(_ kind: RelayKind, callId: String, to target: UserID?, body: JSON, from device: DeviceID) -> Outcome {
        let route: RelayRoute
        switch self.route(kind, callId: callId, to: target, from: device) {
        case .success(let found): route = found
        case .failure(let error): return .failure(error)
        }
        var payload = JSONObject()
        payload.append(key: "callId", value: .string(callId))
        payload.append(key: "from", value: .string(route.from))
        payload.append(key: kind.bodyKey, value: body)
        let message = JSON.object(payload)
        var outcome = Outcome(reply: .success(Self.relayAck))
        outcome.actions.reserveCapacity(route.recipients.count)
        for recipient in route.recipients {
            outcome.actions.append(.send(recipient, event: kind.event, payload: message))
        }
        return outcome
    }

    /// Who gets a relay request of `device`: the other participants' call devices, or only
    /// those of `to`. While a participant rings, every one of its devices gets it (early ICE). The
    /// sender must be present in the call and, once joined, send from its call device (while that
    /// device is gone, in reconnect grace, nothing it sends is relayed until it registers again).
    /// The failure is what ``handle(_:from:now:)`` answers the same request with; success means
    /// the ack `{"ok": true}`.
    public func route(_ kind: RelayKind, callId: String, to target: UserID?, from device: DeviceID)
        -> Result<RelayRoute, SignalingError>
    {
        guard let userId = registry.user(of: device) else {
            return .failure(.notRegistered("\(kind.event): register first"))
        }
        guard let call = calls[callId] else {
            return .failure(.callNotFound("\(kind.event): no live call \(quoted(callId))"))
        }
        guard let sender = call.participant(userId) else {
            return .failure(.notAParticipant("\(kind.event): you are not a participant of call \(quoted(callId))"))
        }
        guard sender.isPresent else {
            return .failure(.invalidState("\(kind.event): you already left call \(quoted(callId))"))
        }
        if sender.state == .joined, sender.device != device {
            // A joined participant without a call device is in reconnect grace: the first device to
            // register again takes the call over, and only then may it relay.
            guard sender.device != nil else {
                return .failure(
                    .invalidState(
                        "\(kind.event): your device in call \(quoted(callId)) dropped; register again on this device to resume it"))
            }
            return .failure(.invalidState("\(kind.event): call \(quoted(callId)) is on another of your devices"))
        }
        var recipients: [DeviceID] = []
        if let target {
            guard target != userId, let recipient = call.participant(target) else {
                return .failure(.notAParticipant("\(kind.event): \(quoted(target)) is not another participant of this call"))
            }
            guard recipient.isPresent else {
                return .failure(.invalidState("\(kind.event): \(quoted(target)) has left this call"))
            }
            callDevices(of: recipient, into: &recipients)
        } else {
            for participant in call.participants where participant.userId != userId {
                callDevices(of: participant, into: &recipients)
            }
        }
        return .success(RelayRoute(from: userId, recipients: recipients))
    }
}
