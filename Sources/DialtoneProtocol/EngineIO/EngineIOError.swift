/// Why Engine.IO input was refused. The session that sent it is closed; nothing else changes.
public struct EngineIOError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case emptyPacket
        case unknownPacketType(UInt8)
        case invalidBase64
        case unexpectedPayload
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// A packet with no type character.
    public static let emptyPacket = EngineIOError(.emptyPacket)
    /// The first character is not one of the packet types `0`–`6` (or `b` in a polling payload).
    public static func unknownPacketType(_ byte: UInt8) -> EngineIOError { EngineIOError(.unknownPacketType(byte)) }
    /// A `b`-prefixed polling packet whose data is not valid base64.
    public static let invalidBase64 = EngineIOError(.invalidBase64)
    /// A packet type that carries no data (close, upgrade, noop) was sent with some.
    public static let unexpectedPayload = EngineIOError(.unexpectedPayload)

    public var description: String {
        switch kind {
        case .emptyPacket: "empty Engine.IO packet"
        case .unknownPacketType(let byte): "unknown Engine.IO packet type 0x\(String(byte, radix: 16))"
        case .invalidBase64: "invalid base64 in an Engine.IO binary packet"
        case .unexpectedPayload: "Engine.IO packet type takes no data"
        }
    }
}
