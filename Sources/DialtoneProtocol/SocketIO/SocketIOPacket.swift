import DialtoneJSON

/// One Socket.IO v5 packet: `<type>[<attachments>-][<namespace>,][<ack id>][<JSON data>]`.
public struct SocketIOPacket: Sendable, Hashable {
    public enum PacketType: UInt8, Sendable, Hashable, CaseIterable {
        case connect = 0
        case disconnect = 1
        case event = 2
        case ack = 3
        case connectError = 4
        case binaryEvent = 5
        case binaryAck = 6

        /// Whether binary attachments follow this packet.
        public var isBinary: Bool { self == .binaryEvent || self == .binaryAck }
    }

    /// The most attachments one packet may announce: each is a whole frame, and a client must
    /// not make the server wait for an unbounded number of them.
    public static let maxAttachments = 64

    public var type: PacketType
    /// `/` for the main namespace.
    public var namespace: String
    /// The ack id of an EVENT that wants an answer, or of the ACK that gives it.
    public var ackID: Int?
    public var data: JSON?
    /// How many binary frames follow (binary packet types only).
    public var attachmentCount: Int

    public init(
        type: PacketType, namespace: String = "/", ackID: Int? = nil, data: JSON? = nil, attachmentCount: Int = 0
    ) {
        self.type = type
        self.namespace = namespace
        self.ackID = ackID
        self.data = data
        self.attachmentCount = attachmentCount
    }

    /// An EVENT (or BINARY_EVENT when `attachmentCount` > 0) `[name, arguments...]`.
    public static func event(
        _ name: String, _ arguments: [JSON], namespace: String = "/", ackID: Int? = nil, attachmentCount: Int = 0
    ) -> SocketIOPacket {
        SocketIOPacket(
            type: attachmentCount > 0 ? .binaryEvent : .event, namespace: namespace, ackID: ackID,
            data: .array([.string(name)] + arguments), attachmentCount: attachmentCount)
    }

    /// An ACK (or BINARY_ACK) answering `ackID` with `arguments`.
    public static func ack(_ ackID: Int, _ arguments: [JSON], namespace: String = "/", attachmentCount: Int = 0)
        -> SocketIOPacket
    {
        SocketIOPacket(
            type: attachmentCount > 0 ? .binaryAck : .ack, namespace: namespace, ackID: ackID,
            data: .array(arguments), attachmentCount: attachmentCount)
    }

    /// The event name and arguments of an EVENT or BINARY_EVENT.
    public var event: (name: String, arguments: ArraySlice<JSON>)? {
        guard type == .event || type == .binaryEvent, case .array(let items)? = data,
            case .string(let name)? = items.first
        else { return nil }
        return (name, items.dropFirst())
    }
}
