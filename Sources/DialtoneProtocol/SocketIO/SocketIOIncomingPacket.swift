/// A packet as a server receives it: EVENTs, nearly all of the traffic, keep their data as
/// checked JSON text, so that a handler reads only the members it needs and passes the rest on
/// as bytes; the rare other packets are parsed whole.
public enum SocketIOIncomingPacket: Sendable {
    /// An EVENT without binary attachments.
    case event(SocketIOEventPacket)
    /// Any other packet, BINARY_EVENT included (its placeholders need the parsed tree).
    case other(SocketIOPacket)

    /// Accepts and refuses exactly what ``SocketIOPacket/init(text:)-(Substring)`` does.
    public init(text: Substring) throws(SocketIOError) {
        let envelope = try SocketIOPacket.Envelope(text)
        guard envelope.type == .event, !envelope.dataText.isEmpty else {
            self = .other(try SocketIOPacket(envelope))
            return
        }
        try SocketIOPacket.validateJSON(envelope.dataText)
        guard let name = SocketIOEventText.eventName(in: envelope.dataText) else { throw .invalidPayload }
        self = .event(
            SocketIOEventPacket(
                namespace: envelope.namespace, ackID: envelope.ackID, name: name, dataText: envelope.dataText))
    }
}
