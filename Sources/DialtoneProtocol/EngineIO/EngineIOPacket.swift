/// One Engine.IO v4 packet.
///
/// Text data is kept as a `Substring` of the frame it was parsed from, so a message is sliced,
/// never copied, on its way to the Socket.IO parser.
public enum EngineIOPacket: Sendable, Hashable {
    /// The handshake; its data is the JSON text of ``EngineIOHandshake``.
    case open(Substring)
    case close
    /// A heartbeat or, with data `probe`, the upgrade probe.
    case ping(Substring)
    case pong(Substring)
    case message(Substring)
    case binary([UInt8])
    case upgrade
    case noop

    /// The type digit of this packet on the wire.
    public var typeCharacter: Character {
        switch self {
        case .open: "0"
        case .close: "1"
        case .ping: "2"
        case .pong: "3"
        case .message, .binary: "4"
        case .upgrade: "5"
        case .noop: "6"
        }
    }
}

extension EngineIOPacket {
    /// Parses a text packet (a WebSocket text frame, or one element of a polling payload).
    public init(text: Substring) throws(EngineIOError) {
        guard let first = text.utf8.first else { throw .emptyPacket }
        let data = text.dropFirst()
        switch first {
        case UInt8(ascii: "0"): self = .open(data)
        case UInt8(ascii: "1"): self = try .withoutData(.close, data)
        case UInt8(ascii: "2"): self = .ping(data)
        case UInt8(ascii: "3"): self = .pong(data)
        case UInt8(ascii: "4"): self = .message(data)
        case UInt8(ascii: "5"): self = try .withoutData(.upgrade, data)
        case UInt8(ascii: "6"): self = try .withoutData(.noop, data)
        default: throw .unknownPacketType(first)
        }
    }

    public init(text: String) throws(EngineIOError) {
        try self.init(text: text[...])
    }

    private static func withoutData(_ packet: EngineIOPacket, _ data: Substring) throws(EngineIOError) -> EngineIOPacket
    {
        guard data.isEmpty else { throw .unexpectedPayload }
        return packet
    }

    /// The text form of a non-binary packet, as sent in a WebSocket text frame.
    /// A binary packet is encoded as in a polling payload (`b` + base64).
    public var encodedText: String {
        switch self {
        case .open(let data): "0" + data
        case .close: "1"
        case .ping(let data): "2" + data
        case .pong(let data): "3" + data
        case .message(let data): "4" + data
        case .binary(let bytes): "b" + Base64.encode(bytes)
        case .upgrade: "5"
        case .noop: "6"
        }
    }
}
