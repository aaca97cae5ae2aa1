import DialtoneCore
import DialtoneJSON
import DialtoneProtocol

/// `/ws`: a device speaking JSON-RPC 2.0 over a plain WebSocket. Requests are device events
/// (method = event name, params = payload) answered with the ack body; server events arrive as
/// notifications. A notification that fails is answered with an `error` notification, as a
/// Socket.IO event without an ack would be.
public final class DeviceWebSocket: WebSocketMessageHandler {
    private let hub: SignalingHub
    private let outlet: WebSocketDevice
    /// `nil` when the upgrade request had no valid token: the connection is being closed.
    private let device: DeviceID?
    /// `nil` when the rate limit is off.
    private var bucket: TokenBucket?

    /// Registers the device with the hub at once: under `none` `?userId=` in the upgrade request
    /// names it; under `jwt` the token does (`Authorization: Bearer` or `?token=`), and without a
    /// valid one the device gets an `unauthorized` error notification and a close with 1008.
    /// Requests over `rateLimit` are answered `rate_limited` and not processed.
    public init(
        request: HTTPRequest, connection: WebSocketConnection, hub: SignalingHub, authenticator: Authenticator = .none,
        rateLimit: RateLimit = .off
    ) {
        self.hub = hub
        self.bucket = rateLimit.makeBucket()
        self.outlet = WebSocketDevice(connection: connection)
        switch authenticator.identity(token: request.token, claimedUserId: request.query["userId"]) {
        case .success(let identity):
            let (device, outcome) = hub.connect(outlet, identity: identity)
            self.device = device
            if case .failure(let error) = outcome.reply { outlet.sendError(error, event: "register") }
        case .failure(let error):
            device = nil
            outlet.send(event: "error", payload: .object(SignalingError(.unauthorized, error.description).jsonObject))
            outlet.close(reason: "unauthorized")
        }
    }

    public func received(text: String) {
        guard let device else { return }
        let reply = JSONRPCBatchReply.assemble(for: JSONRPCIncoming(parsing: text)) {
            (request) throws(JSONRPCError) -> JSON in
            switch admit(request).flatMap({ answer(request, from: device) }) {
            case .success(let ack):
                return .object(ack)
            case .failure(let error):
                if request.isNotification { outlet.sendError(error, event: request.method) }
                throw JSONRPCError(error, method: request.method)
            }
        }
        if let reply { outlet.connection.send(text: reply.serialized()) }
    }

    public func closed(code: WebSocketCloseCode?) {
        if let device { hub.disconnect(device) }
    }

    /// Takes a token for the request, or refuses it when the connection is over its rate.
    private func admit(_ request: JSONRPCRequest) -> Result<Void, SignalingError> {
        guard bucket?.take(at: RateLimit.now()) == false else { return .success(()) }
        LimitRejection.rate.record(metadata: ["dialtone.event": "\(request.method.prefix(64))"])
        return .failure(RateLimit.refusal)
    }

    private func answer(_ request: JSONRPCRequest, from device: DeviceID) -> Result<JSONObject, SignalingError> {
        do {
            let event = try DeviceRequest(event: request.method, payload: request.params?.json ?? .object([:]))
            let reply = hub.handle(event, from: device).reply ?? .failure(SignalingError(.internal, "no answer"))
            LimitRejection.recordCoreRefusal(reply, event: request.method)
            return reply
        } catch {
            return .failure(error)
        }
    }
}

/// The sending half of a `/ws` device, as the hub sees it.
final class WebSocketDevice: DeviceConnection {
    let connection: WebSocketConnection

    init(connection: WebSocketConnection) {
        self.connection = connection
    }

    func send(event: String, payload: JSON) {
        connection.send(text: JSONRPCRequest.notification(event, params: JSONRPCParams(payload)).serialized())
    }

    func close(reason: String) {
        connection.close(code: .policyViolation, reason: reason)
    }

    /// `error {code, message, event}`, for a failed request that had no id to answer.
    func sendError(_ error: SignalingError, event: String) {
        send(event: "error", payload: .object(error.errorEventPayload(event: event)))
    }
}

extension JSONRPCError {
    /// A failed device request on `/ws`: an application error carrying the contract's code, except
    /// an unknown event, which JSON-RPC calls "method not found".
    init(_ error: SignalingError, method: String) {
        if error.code == .badRequest, !DeviceRequest.eventNames.contains(method) {
            self.init(code: -32601, message: error.message, data: ["code": .string(error.code.rawValue)])
        } else {
            self = .application(code: error.code.rawValue, message: error.message)
        }
    }
}
