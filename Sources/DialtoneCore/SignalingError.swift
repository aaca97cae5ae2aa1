import DialtoneJSON

/// A refused request: a contract error code and a message meant for the developer of the client.
public struct SignalingError: Error, Hashable, Sendable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    /// `{"code": ..., "message": ...}` as in acks and `error` events.
    public var jsonObject: JSONObject {
        ["code": .string(code.rawValue), "message": .string(message)]
    }

    /// `{"code", "message", "event"}`: the `error` event sent instead of an ack when a failed
    /// request came without an ack callback.
    public func errorEventPayload(event: String) -> JSONObject {
        var payload = jsonObject
        payload["event"] = .string(event)
        return payload
    }

    /// `{"ok": false, "error": {"code": ..., "message": ...}}`, the failed ack body.
    public var ackBody: JSONObject {
        ["ok": false, "error": .object(jsonObject)]
    }

    static func badRequest(_ message: String) -> SignalingError { SignalingError(.badRequest, message) }
    static func unauthorized(_ message: String) -> SignalingError { SignalingError(.unauthorized, message) }
    static func notRegistered(_ message: String) -> SignalingError { SignalingError(.notRegistered, message) }
    static func userOffline(_ message: String) -> SignalingError { SignalingError(.userOffline, message) }
    static func busy(_ message: String) -> SignalingError { SignalingError(.busy, message) }
    static func callNotFound(_ message: String) -> SignalingError { SignalingError(.callNotFound, message) }
    static func notAParticipant(_ message: String) -> SignalingError {
        SignalingError(.notAParticipant, message)
    }
    static func invalidState(_ message: String) -> SignalingError { SignalingError(.invalidState, message) }
    static func `internal`(_ message: String) -> SignalingError { SignalingError(.internal, message) }
}

/// Client text echoed in an error message, quoted and cut short so a hostile payload cannot make
/// the error itself large.
func quoted(_ text: String) -> String {
    let limit = 64
    guard text.count > limit else { return "\"\(text)\"" }
    return "\"\(text.prefix(limit))…\""
}
