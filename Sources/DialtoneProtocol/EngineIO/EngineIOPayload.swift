/// The HTTP long-polling body format: packets joined by the record separator `\u{1e}`, binary
/// packets as `b` followed by base64.
public enum EngineIOPayload {
    /// The record separator between packets of one payload.
    public static let separator: UInt8 = 0x1E

    /// Splits and parses a payload. Any malformed packet fails the whole payload, so a session
    /// never acts on half of a bad request.
    public static func decode(_ body: String) throws(EngineIOError) -> [EngineIOPacket] {
        var packets: [EngineIOPacket] = []
        let utf8 = body.utf8
        var start = utf8.startIndex
        while true {
            let end = utf8[start...].firstIndex(of: separator) ?? utf8.endIndex
            packets.append(try decodeOne(Substring(body.utf8[start..<end])))
            guard end < utf8.endIndex else { break }
            start = utf8.index(after: end)
        }
        return packets
    }

    private static func decodeOne(_ text: Substring) throws(EngineIOError) -> EngineIOPacket {
        guard text.utf8.first == UInt8(ascii: "b") else { return try EngineIOPacket(text: text) }
        guard let bytes = Base64.decode(text.utf8.dropFirst()) else { throw .invalidBase64 }
        return .binary(bytes)
    }

    /// Joins packets into one polling response body.
    public static func encode(_ packets: some Sequence<EngineIOPacket>) -> String {
        var body = ""
        for packet in packets {
            if !body.isEmpty { body.unicodeScalars.append("\u{1e}") }
            body += packet.encodedText
        }
        return body
    }
}
