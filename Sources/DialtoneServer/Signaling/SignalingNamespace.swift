import DialtoneCore
import DialtoneJSON
import NIOConcurrencyHelpers

/// The Socket.IO face of the signaling core, on namespace `/`: the events of the original Node
/// server, acks carrying the ack body, and an `error` event for a failed request without an ack.
public final class SignalingNamespace: SocketIONamespaceHandler {
    private let hub: SignalingHub
    private let devices = NIOLockedValueBox<[SocketIOSocket: DeviceID]>([:])

    public init(hub: SignalingHub) {
        self.hub = hub
    }

    /// Registers the device at once when the CONNECT auth payload or the handshake query names a
    /// user, as the Node server did; otherwise it registers later with `register`.
    public func connected(_ socket: SocketIOSocket) {
        let handshake = socket.handshake
        let claimed = handshake.auth["userId"]?.stringValue ?? handshake.query["userId"]
        let (device, outcome) = hub.connect(SocketDevice(socket: socket), identity: claimed.map { .claimed($0) } ?? .anonymous)
        devices.withLockedValue { $0[socket] = device }
        if case .failure(let error) = outcome.reply {
            socket.emit("error", [.object(error.errorEventPayload(event: "register"))])
        }
    }

    public func received(_ event: SocketIOEvent, from socket: SocketIOSocket) {
        guard let device = devices.withLockedValue({ $0[socket] }) else { return }
        let reply: Result<JSONObject, SignalingError>
        do {
            let request = try DeviceRequest(event: event.name, payload: event.arguments.first ?? .object([:]))
            reply = hub.handle(request, from: device).reply ?? .failure(SignalingError(.internal, "no answer"))
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
        guard let device = devices.withLockedValue({ $0.removeValue(forKey: socket) }) else { return }
        hub.disconnect(device)
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
