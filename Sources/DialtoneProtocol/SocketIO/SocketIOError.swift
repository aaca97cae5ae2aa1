/// Why a Socket.IO packet was refused. The connection that sent it is closed; nothing else changes.
public struct SocketIOError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case emptyPacket
        case unknownPacketType
        case invalidAttachmentCount
        case invalidAckID
        case invalidJSON(String)
        case invalidPayload
        case invalidPlaceholder
        case unexpectedAttachment
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    public static let emptyPacket = SocketIOError(.emptyPacket)
    /// The type digit is not 0–6.
    public static let unknownPacketType = SocketIOError(.unknownPacketType)
    /// A binary packet without a well-formed `N-` attachment count, or with too many.
    public static let invalidAttachmentCount = SocketIOError(.invalidAttachmentCount)
    /// An ack id that is not a number in range.
    public static let invalidAckID = SocketIOError(.invalidAckID)
    /// The data is not JSON.
    public static func invalidJSON(_ detail: String) -> SocketIOError { SocketIOError(.invalidJSON(detail)) }
    /// The data does not fit the packet type (an event that is not `["name", ...]`, a CONNECT that
    /// is not an object, ...).
    public static let invalidPayload = SocketIOError(.invalidPayload)
    /// A `{"_placeholder":true,"num":N}` that names no attachment.
    public static let invalidPlaceholder = SocketIOError(.invalidPlaceholder)
    /// A binary frame arrived while no binary packet was waiting for attachments.
    public static let unexpectedAttachment = SocketIOError(.unexpectedAttachment)

    public var description: String {
        switch kind {
        case .emptyPacket: "empty Socket.IO packet"
        case .unknownPacketType: "unknown Socket.IO packet type"
        case .invalidAttachmentCount: "invalid Socket.IO attachment count"
        case .invalidAckID: "invalid Socket.IO ack id"
        case .invalidJSON(let detail): "invalid JSON in Socket.IO packet: \(detail)"
        case .invalidPayload: "Socket.IO payload does not fit its packet type"
        case .invalidPlaceholder: "Socket.IO binary placeholder names no attachment"
        case .unexpectedAttachment: "binary attachment without a binary packet"
        }
    }
}
