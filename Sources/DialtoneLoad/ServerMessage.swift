/// What the load generator needs from one Engine.IO text message of the server; read by
/// scanning the compact JSON the server writes, as sioload does, so that the generator's own
/// CPU stays small next to the server's.
public enum ServerMessage: Equatable, Sendable {
    /// Engine.IO OPEN: the handshake is done, time to CONNECT the namespace.
    case open
    /// Engine.IO PING, with its data to echo in the PONG.
    case ping([UInt8])
    /// Engine.IO CLOSE or Socket.IO DISCONNECT.
    case close
    /// Socket.IO CONNECT accepted.
    case connected
    /// Socket.IO CONNECT_ERROR.
    case connectError
    case event(ServerEvent)
    /// Socket.IO ACK of one of our events; `ok` is whether its body holds `"ok":true`.
    case ack(id: Int, ok: Bool)
    /// Anything else (pong, noop, upgrade): nothing to do.
    case ignored

    /// Parses the text of one WebSocket message.
    public init(_ text: some Collection<UInt8>) {
        let bytes = Array(text)
        guard let type = bytes.first else {
            self = .ignored
            return
        }
        switch type {
        case UInt8(ascii: "0"): self = .open
        case UInt8(ascii: "1"): self = .close
        case UInt8(ascii: "2"): self = .ping(Array(bytes.dropFirst()))
        case UInt8(ascii: "4"): self = Self.socketIO(bytes.dropFirst())
        default: self = .ignored
        }
    }

    private static func socketIO(_ packet: ArraySlice<UInt8>) -> ServerMessage {
        guard let type = packet.first else { return .ignored }
        var rest = packet.dropFirst()
        switch type {
        case UInt8(ascii: "0"): return .connected
        case UInt8(ascii: "1"): return .close
        case UInt8(ascii: "4"): return .connectError
        case UInt8(ascii: "2"):
            rest = rest.drop(while: isDigit)
            guard rest.first == UInt8(ascii: "[") else { return .ignored }
            return .event(ServerEvent(arguments: rest))
        case UInt8(ascii: "3"):
            let digits = rest.prefix(while: isDigit)
            guard let id = Int(String(decoding: digits, as: UTF8.self)) else { return .ignored }
            return .ack(id: id, ok: JSONScan.contains(rest.dropFirst(digits.count), JSONScan.okTrue))
        default: return .ignored
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

/// The server events the load modes react to.
public enum ServerEvent: Equatable, Sendable {
    case incomingCall(callId: String?)
    case callAccepted(callId: String?)
    /// `ts` is the send time the relay mode embeds in the candidate.
    case iceCandidate(timestamp: UInt64?)
    case callEnded
    case other(String)

    /// Reads `["name", {...}]`.
    init(arguments: ArraySlice<UInt8>) {
        let afterBracket = arguments.dropFirst()
        guard afterBracket.first == UInt8(ascii: "\"") else {
            self = .other("")
            return
        }
        let nameStart = afterBracket.dropFirst()
        let name = nameStart.prefix(while: { $0 != UInt8(ascii: "\"") })
        let body = nameStart.dropFirst(name.count)
        switch String(decoding: name, as: UTF8.self) {
        case "ice_candidate": self = .iceCandidate(timestamp: JSONScan.unsignedInteger(at: JSONScan.ts, in: body))
        case "incoming_call": self = .incomingCall(callId: JSONScan.string(at: JSONScan.callId, in: body))
        case "call_accepted": self = .callAccepted(callId: JSONScan.string(at: JSONScan.callId, in: body))
        case "call_ended": self = .callEnded
        case let other: self = .other(other)
        }
    }
}
