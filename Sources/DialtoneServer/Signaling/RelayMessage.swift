import DialtoneCore
import DialtoneJSON

/// A relayed `ice_candidate`, `offer` or `answer` on its way to one recipient:
/// `{"callId": ..., "from": ..., "candidate"|"sdp": <body>}`, the body as the sender's JSON text.
public struct RelayMessage: Sendable {
    public var kind: RelayKind
    public var callId: String
    public var from: UserID
    /// Keyed by `kind.bodyKey`; its text parsed on arrival.
    public var body: VerbatimMember

    public init(kind: RelayKind, callId: String, from: UserID, body: VerbatimMember) {
        self.kind = kind
        self.callId = callId
        self.from = from
        self.body = body
    }

    /// The message as a JSON object, for transports that serialise it (the body is parsed here).
    public var payload: JSON {
        var payload = JSONObject()
        payload.append(key: "callId", value: .string(callId))
        payload.append(key: "from", value: .string(from))
        // The body's text was checked when its packet arrived.
        payload.append(key: body.key, value: (try? JSON(parsing: body.text.utf8)) ?? .null)
        return .object(payload)
    }
}
