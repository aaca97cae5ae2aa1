extension SignalingCore {
    /// Applies one device request. The reply is the ack; on failure nothing changed (except that a
    /// call refused because everyone was busy is recorded in history).
    public mutating func handle(_ request: DeviceRequest, from device: DeviceID, now: Timestamp) -> Outcome {
        let outcome: Outcome
        do {
            switch request {
            case .register(let userId):
                outcome = try register(device, as: userId, now: now)
            case .call(let callees, let callId, let offer, let media, let metadata):
                outcome = try placeCall(
                    from: device, to: callees, callId: callId, offer: offer, media: media, metadata: metadata,
                    now: now)
            case .acceptCall(let callId, let answer):
                outcome = try accept(callId, answer: answer, from: device, now: now)
            case .rejectCall(let callId, let reason):
                outcome = try reject(callId, reason: reason, from: device, now: now)
            case .endCall(let callId):
                outcome = try endCall(callId, from: device, now: now)
            case .joinCall(let callId):
                outcome = try join(callId, from: device, now: now)
            case .leaveCall(let callId):
                outcome = try leave(callId, from: device, now: now)
            case .relay(let kind, let callId, let target, let body):
                // The hot path: changes no state, so there are no deadlines to tidy.
                return relay(kind, callId: callId, to: target, body: body, from: device)
            }
        } catch {
            return .failure(error)
        }
        pruneDeadlines()
        return outcome
    }
}
