import DialtoneCore
import DialtoneJSON
import NIOConcurrencyHelpers

/// The Socket.IO face of the signaling core, on namespace `/`: the events of the original Node
/// server, acks carrying the ack body, and an `error` event for a failed request without an ack.
public final class SignalingNamespace: SocketIONamespaceHandler {
    private let hub: SignalingHub
    private let authenticator: Authenticator
    private let devices = NIOLockedValueBox<[SocketIOSocket: DeviceID]>([:])
    private let rateLimit: RateLimit
    /// Each connection's token bucket; `nil` when the rate limit is off, so events pay nothing.
    private let buckets: NIOLockedValueBox<[SocketIOSocket: TokenBucket]>?

    /// `rateLimit` bounds the events each connection may send; an event over it is answered
    /// `rate_limited` and not processed.
    public init(hub: SignalingHub, authenticator: Authenticator = .none, rateLimit: RateLimit = .off) {
        self.hub = hub
        self.authenticator = authenticator
        self.rateLimit = rateLimit
        self.buckets = rateLimit.eventsPerSecond > 0 ? NIOLockedValueBox([:]) : nil
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
        devices.withLockedValue { $0[socket] = device }
        if let buckets, let bucket = rateLimit.makeBucket() { buckets.withLockedValue { $0[socket] = bucket } }
        if case .failure(let error) = outcome.reply {
            socket.emit("error", [.object(error.errorEventPayload(event: "register"))])
        }
    }

    public func received(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        guard let device = devices.withLockedValue({ $0[socket] }) else { return }
        if let buckets, !buckets.withLockedValue({ $0[socket]?.take(at: RateLimit.now()) ?? true }) {
            refuseOverRate(event, from: socket)
            return
        }
        let reply: Result<JSONObject, SignalingError>
        do {
            let request = try DeviceRequest(event: event.name, payload: event.arguments.first ?? .object([:]))
            reply = hub.handle(request, from: device).reply ?? .failure(SignalingError(.internal, "no answer"))
        } catch {
            reply = .failure(error)
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
        _ = buckets?.withLockedValue { $0.removeValue(forKey: socket) }
        guard let device = devices.withLockedValue({ $0.removeValue(forKey: socket) }) else { return }
        hub.disconnect(device)
    }

    private func refuseOverRate(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        LimitRejection.rate.record(metadata: ["dialtone.event": "\(event.name.prefix(64))"])
        if let ack = event.ack {
            ack([.object(RateLimit.refusal.ackBody)])
        } else {
            socket.emit("error", [.object(RateLimit.refusal.errorEventPayload(event: event.name))])
        }
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

    func close(reason: String) {
        socket.disconnect(closingConnection: true)
    }
}
