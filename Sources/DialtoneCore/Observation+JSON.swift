import DialtoneJSON

extension Observation {
    /// The event type, e.g. `call.ended`: dotted, subject first, so subscribers can filter by prefix.
    public var type: String {
        switch self {
        case .userOnline: "user.online"
        case .userOffline: "user.offline"
        case .callCreated: "call.created"
        case .callRinging: "call.ringing"
        case .callAccepted: "call.accepted"
        case .callRejected: "call.rejected"
        case .callEnded: "call.ended"
        case .participantJoined: "participant.joined"
        case .participantLeft: "participant.left"
        case .participantDisconnected: "participant.disconnected"
        case .participantResumed: "participant.resumed"
        }
    }

    /// Every type `type` can take.
    public static let types: [String] = [
        "user.online", "user.offline", "call.created", "call.ringing", "call.accepted", "call.rejected",
        "call.ended", "participant.joined", "participant.left", "participant.disconnected", "participant.resumed",
    ]

    /// `{"type": ..., fields...}`; `call.ended` carries the history record's fields.
    public func toJSON() -> JSONObject {
        var object: JSONObject = ["type": .string(type)]
        switch self {
        case .userOnline(let userId, let device):
            object["userId"] = .string(userId)
            object["sessionId"] = .string(device.description)
        case .userOffline(let userId):
            object["userId"] = .string(userId)
        case .callCreated(let callId, let from, let participants, let media):
            object["callId"] = .string(callId)
            object["from"] = .string(from)
            object["participants"] = .array(participants.map { .string($0) })
            object["media"] = .string(media.rawValue)
        case .callRinging(let callId, let userId, let devices):
            object["callId"] = .string(callId)
            object["userId"] = .string(userId)
            object["devices"] = .number(JSONNumber(devices))
        case .callAccepted(let callId, let userId), .participantJoined(let callId, let userId):
            object["callId"] = .string(callId)
            object["userId"] = .string(userId)
        case .callRejected(let callId, let userId, let reason):
            object["callId"] = .string(callId)
            object["userId"] = .string(userId)
            object["reason"] = .string(reason.rawValue)
        case .callEnded(let record):
            for member in record.toJSON().objectValue ?? [:] { object[member.key] = member.value }
        case .participantLeft(let callId, let userId, let reason):
            object["callId"] = .string(callId)
            object["userId"] = .string(userId)
            object["reason"] = .string(reason.rawValue)
        case .participantDisconnected(let callId, let userId, let until):
            object["callId"] = .string(callId)
            object["userId"] = .string(userId)
            object["reconnectDeadline"] = .string(until.iso8601)
        case .participantResumed(let callId, let userId, let device):
            object["callId"] = .string(callId)
            object["userId"] = .string(userId)
            object["sessionId"] = .string(device.description)
        }
        return object
    }
}
