import DialtoneCore
import DialtoneJSON
import DialtoneProtocol

/// The Socket.IO face of the signaling core, on namespace `/`: the events of the original Node
/// server, acks carrying the ack body, and an `error` event for a failed request without an ack.
public final class SignalingNamespace: SocketIONamespaceHandler {
    private let hub: SignalingHub
    private let authenticator: Authenticator
    private let rateLimit: RateLimit

    /// `rateLimit` bounds the events each connection may send; an event over it is answered
    /// `rate_limited` and not processed.
    public init(hub: SignalingHub, authenticator: Authenticator = .none, rateLimit: RateLimit = .off) {
        self.hub = hub
        self.authenticator = authenticator
        self.rateLimit = rateLimit
    }

    /// Under `jwt`, a client without a valid token is refused with CONNECT_ERROR
    /// `{"message":"unauthorized"}`, the Node server's answer.
    public func authorize(_ handshake: SocketIOHandshake) -> SocketIOConnectDecision {
        switch identity(of: handshake) {
        case .success: .accept
        case .failure: .reject(["message": "unauthorized"])
        }
    }

    /// Registers the device at once when the token (under `jwt`) or the CONNECT auth payload or the
    /// handshake query (under `none`, as the Node server did) names a user; otherwise it registers
    /// later with `register`.
    public func connected(_ socket: SocketIOSocket) {
        // `authorize` accepted this handshake an instant ago; only a token expiring in between fails here.
        let identity: Identity
        switch self.identity(of: socket.handshake) {
        case .success(let proven):
            identity = proven
        case .failure(let error):
            socket.emit("error", [.object(SignalingError(.unauthorized, error.description).errorEventPayload(event: "connect"))])
            socket.disconnect()
            return
        }
        let (device, outcome) = hub.connect(SocketDevice(socket: socket), identity: identity)
        socket.userInfo = ConnectedDevice(id: device, bucket: rateLimit.makeBucket())
        if case .failure(let error) = outcome.reply {
            socket.emit("error", [.object(error.errorEventPayload(event: "register"))])
        }
    }

    public func received(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        guard let connected = socket.userInfo as? ConnectedDevice else { return }
        if !connected.takeToken() {
            refuseOverRate(event, from: socket)
            return
        }
        let device = connected.id
        let reply: Result<JSONObject, SignalingError>
        if let relay = Self.plainRelay(event) {
            reply = hub.relay(relay.kind, callId: relay.callId, to: relay.to, body: relay.body, from: device)
                .map { SignalingCore.relayAck }
        } else {
            do {
                let request = try DeviceRequest(event: event.name, payload: event.arguments.first ?? .object([:]))
                reply =
                    hub.handle(request, from: device, verbatim: Self.verbatimBody(of: request, in: event)).reply
                    ?? .failure(SignalingError(.internal, "no answer"))
            } catch {
                reply = .failure(error)
            }
        }
        LimitRejection.recordCoreRefusal(reply, event: event.name)
        switch (reply, event.ack) {
        case (.success(let body), let ack?):
            ack([.object(body)])
        case (.failure(let error), let ack?):
            ack([.object(error.ackBody)])
        case (.failure(let error), nil):
            socket.emit("error", [.object(error.errorEventPayload(event: event.name))])
        case (.success, nil):
            break
        }
    }

    public func disconnected(_ socket: SocketIOSocket, reason: SocketIODisconnectReason) {
        guard let connected = socket.userInfo as? ConnectedDevice else { return }
        socket.userInfo = nil
        hub.disconnect(connected.id)
    }

    private func refuseOverRate(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        LimitRejection.rate.record(metadata: ["dialtone.event": "\(event.name.prefix(64))"])
        if let ack = event.ack {
            ack([.object(RateLimit.refusal.ackBody)])
        } else {
            socket.emit("error", [.object(RateLimit.refusal.errorEventPayload(event: event.name))])
        }
    }

    /// A relay request read straight from the event's text, for the hub's hot path, when it
    /// decodes as nothing but a valid `DeviceRequest.relay`: `callId` and `to` plain strings
    /// (no escapes; `to` may be absent or null) and the body present. Anything else, errors
    /// included, takes the general path, which says what is wrong.
    private static func plainRelay(_ event: SocketIOEvent)
        -> (kind: RelayKind, callId: String, to: UserID?, body: VerbatimMember)?
    {
        guard let kind = RelayKind(rawValue: event.name), let text = event.text,
            let members = SocketIOEventText.firstArgumentMembers(["callId", "to", kind.bodyKey], in: text),
            let callId = members[0].flatMap(SocketIOEventText.plainString), let body = members[2]
        else { return nil }
        var target: UserID?
        if let to = members[1], to != "null" {
            guard let plain = SocketIOEventText.plainString(to) else { return nil }
            target = plain
        }
        return (kind, callId, target, VerbatimMember(key: kind.bodyKey, text: body))
    }

    /// The relayed candidate or SDP as the text the sender wrote, to relay without serialising it.
    private static func verbatimBody(of request: DeviceRequest, in event: SocketIOEvent) -> VerbatimMember? {
        guard case .relay(let kind, _, _, _) = request, let text = event.text,
            let body = SocketIOEventText.firstArgumentMember(kind.bodyKey, in: text)
        else { return nil }
        return VerbatimMember(key: kind.bodyKey, text: body)
    }

    private func identity(of handshake: SocketIOHandshake) -> Result<Identity, TokenError> {
        authenticator.identity(
            token: handshake.token, claimedUserId: handshake.auth["userId"]?.stringValue ?? handshake.query["userId"])
    }
}

/// A Socket.IO device as the hub sees it.
final class SocketDevice: DeviceConnection {
    let socket: SocketIOSocket

    init(socket: SocketIOSocket) {
        self.socket = socket
    }

    func send(event: String, payload: JSON) {
        socket.emit(event, [payload])
    }

    func send(event: String, payload: JSON, verbatim: VerbatimMember) {
        guard case .object(let object) = payload else { return send(event: event, payload: payload) }
        socket.send(
            SocketIOEncodedPacket(
                event: event, object: object, verbatim: (verbatim.key, verbatim.text), namespace: socket.namespace))
    }

    func send(relay message: RelayMessage) {
        socket.send(message.socketIOPacket(namespace: socket.namespace))
    }

    func close(reason: String) {
        socket.disconnect(closingConnection: true)
    }
}

/// What the namespace keeps in each socket's `userInfo`: its device and, when the rate limit is
/// on, its token bucket. Only touched on the socket's event loop, where its events arrive, which
/// is why it needs no lock.
private final class ConnectedDevice: @unchecked Sendable {
    let id: DeviceID
    private var bucket: TokenBucket?

    init(id: DeviceID, bucket: TokenBucket?) {
        self.id = id
        self.bucket = bucket
    }

    /// Whether the next event may go through; always when there is no limit.
    func takeToken() -> Bool {
        guard bucket != nil else { return true }
        return bucket!.take(at: RateLimit.now())
    }
}
