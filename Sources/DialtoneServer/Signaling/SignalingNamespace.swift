import DialtoneCore
import DialtoneJSON
import DialtoneProtocol

/// The Socket.IO face of the signaling core, on namespace `/`: the events of the original Node
/// server, acks carrying the ack body, and an `error` event for a failed request without an ack.
public final class SignalingNamespace: SocketIONamespaceHandler {
    private let hub: SignalingHub
    private let authenticator: Authenticator

    public init(hub: SignalingHub, authenticator: Authenticator = .none) {
        self.hub = hub
        self.authenticator = authenticator
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
        socket.userInfo = device
        if case .failure(let error) = outcome.reply {
            socket.emit("error", [.object(error.errorEventPayload(event: "register"))])
        }
    }

    public func received(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        guard let device = socket.userInfo as? DeviceID else { return }
        let reply: Result<JSONObject, SignalingError>
        do {
            let request = try DeviceRequest(event: event.name, payload: event.arguments.first ?? .object([:]))
            reply =
                hub.handle(request, from: device, verbatim: Self.verbatimBody(of: request, in: event)).reply
                ?? .failure(SignalingError(.internal, "no answer"))
        } catch {
            reply = .failure(error)
        }
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
        guard let device = socket.userInfo as? DeviceID else { return }
        socket.userInfo = nil
        hub.disconnect(device)
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

    func close(reason: String) {
        socket.disconnect(closingConnection: true)
    }
}
