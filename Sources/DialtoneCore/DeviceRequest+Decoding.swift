import DialtoneJSON

extension DeviceRequest {
    /// Decodes a device event. Unknown events, payloads that are not objects, missing members and
    /// members of the wrong type are `bad_request` with a message naming the event and the member.
    /// Unknown members are ignored, so newer clients keep working. `end_call` also accepts no
    /// payload (`null`). A member that is `null` counts as absent, except the relayed `candidate`
    /// and `sdp`, which are passed on whatever they hold.
    public init(event: String, payload: JSON) throws(SignalingError) {
        if event == "end_call", payload.isNull {
            self = .endCall(callId: nil)
            return
        }
        guard let members = payload.objectValue else {
            guard DeviceRequest.eventNames.contains(event) else { throw Self.unknown(event) }
            throw .badRequest("\(event): the payload must be an object")
        }
        let payload = PayloadReader(event: event, members: members)
        switch event {
        case "register":
            self = .register(userId: try payload.requiredString("userId"))
        case "call":
            self = .call(
                to: try payload.recipients(),
                callId: try payload.optionalString("callId"),
                offer: payload.optional("offer"),
                media: try payload.media(),
                metadata: payload.optional("metadata"))
        case "accept_call":
            self = .acceptCall(callId: try payload.requiredString("callId"), answer: payload.optional("answer"))
        case "reject_call":
            self = .rejectCall(callId: try payload.requiredString("callId"), reason: try payload.rejectReason())
        case "end_call":
            self = .endCall(callId: try payload.optionalString("callId"))
        case "join_call":
            self = .joinCall(callId: try payload.requiredString("callId"))
        case "leave_call":
            self = .leaveCall(callId: try payload.requiredString("callId"))
        default:
            guard let kind = RelayKind(rawValue: event) else { throw Self.unknown(event) }
            self = .relay(
                kind,
                callId: try payload.requiredString("callId"),
                to: try payload.optionalString("to"),
                body: try payload.present(kind.bodyKey))
        }
    }

    private static func unknown(_ event: String) -> SignalingError {
        .badRequest("unknown event \(quoted(event)); expected one of \(eventNames.joined(separator: ", "))")
    }
}

/// Reads members of one event's payload, producing errors that name the event and the member.
private struct PayloadReader {
    let event: String
    let members: JSONObject

    func optional(_ key: String) -> JSON? {
        guard let value = members[key], !value.isNull else { return nil }
        return value
    }

    func present(_ key: String) throws(SignalingError) -> JSON {
        guard let value = members[key] else { throw .badRequest("\(event): \"\(key)\" is required") }
        return value
    }

    func requiredString(_ key: String) throws(SignalingError) -> String {
        guard let value = optional(key) else { throw .badRequest("\(event): \"\(key)\" is required") }
        return try string(value, key)
    }

    func optionalString(_ key: String) throws(SignalingError) -> String? {
        guard let value = optional(key) else { return nil }
        return try string(value, key)
    }

    func recipients() throws(SignalingError) -> [UserID] {
        guard let value = optional("to") else { throw .badRequest("\(event): \"to\" is required") }
        let userIds: [UserID]
        switch value {
        case .string(let userId):
            userIds = [userId]
        case .array(let elements):
            var collected: [UserID] = []
            collected.reserveCapacity(elements.count)
            for element in elements {
                guard let userId = element.stringValue else {
                    throw .badRequest("\(event): \"to\" must be a user id or a list of user ids")
                }
                if !collected.contains(userId) { collected.append(userId) }
            }
            userIds = collected
        default:
            throw .badRequest("\(event): \"to\" must be a user id or a list of user ids")
        }
        guard !userIds.isEmpty else { throw .badRequest("\(event): \"to\" must name at least one user") }
        if userIds.contains("") { throw .badRequest("\(event): \"to\" contains an empty user id") }
        return userIds
    }

    func media() throws(SignalingError) -> Media {
        guard let value = try optionalString("media") else { return .audio }
        guard let media = Media(rawValue: value) else {
            throw .badRequest("\(event): \"media\" must be \"audio\" or \"video\", not \(quoted(value))")
        }
        return media
    }

    func rejectReason() throws(SignalingError) -> RejectReason {
        guard let value = try optionalString("reason") else { return .declined }
        guard let reason = RejectReason(rawValue: value) else {
            throw .badRequest("\(event): \"reason\" must be \"declined\" or \"busy\", not \(quoted(value))")
        }
        return reason
    }

    private func string(_ value: JSON, _ key: String) throws(SignalingError) -> String {
        guard let text = value.stringValue else { throw .badRequest("\(event): \"\(key)\" must be a string") }
        guard !text.isEmpty else { throw .badRequest("\(event): \"\(key)\" must not be empty") }
        return text
    }
}
