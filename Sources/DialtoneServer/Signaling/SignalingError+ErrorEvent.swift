import DialtoneCore
import DialtoneJSON

extension SignalingError {
    /// The `error {code, message, event}` event a device gets for a failed request it sent without
    /// an ack (Socket.IO) or without an id (`/ws`).
    func eventPayload(event: String) -> JSON {
        var payload = jsonObject
        payload["event"] = .string(event)
        return .object(payload)
    }
}
