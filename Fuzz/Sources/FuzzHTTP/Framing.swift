/// Structured inputs: what a client sends, as parts separated by `\n--\n`, with the length fields
/// a fuzzer cannot keep right by mutation written by the harness. A part starting with `WS ` is
/// the text of one WebSocket text frame (masked with the all-zero key); any other part is an
/// HTTP request whose `Content-Length` is replaced by the length of what follows its head. `$`
/// and a seeded user's name stands for that user's token, so that one small mutation presents
/// another user's credentials.
enum Framing {
    static func expand(_ input: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = []
        for part in withTokens(input).split(separator: Array("\n--\n".utf8)) {
            if part.starts(with: "WS ".utf8) {
                stream += webSocketTextFrame(part.dropFirst(3))
            } else {
                stream += request(part)
            }
        }
        return stream
    }

    private static func withTokens(_ input: [UInt8]) -> [UInt8] {
        var text = input
        for (user, token) in Tokens.byUser {
            text = text.replacing(Array("$\(user)".utf8), with: Array(token.utf8))
        }
        return text
    }

    private static func request(_ part: ArraySlice<UInt8>) -> [UInt8] {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = part.firstRange(of: separator) else { return Array(part) }
        let lines = part[..<end.lowerBound].split(separator: Array("\r\n".utf8))
            .filter { !$0.lowercasedASCII.starts(with: "content-length:".utf8) }
        let body = part[end.upperBound...]
        var head = Array(lines.joined(separator: Array("\r\n".utf8)))
        if !body.isEmpty { head += Array("\r\nContent-Length: \(body.count)".utf8) }
        return head + separator + body
    }

    private static func webSocketTextFrame(_ text: ArraySlice<UInt8>) -> [UInt8] {
        let length = UInt64(text.count)
        let header: [UInt8] =
            switch length {
            case ..<126: [0x81, 0x80 | UInt8(length)]
            case ...0xFFFF: [0x81, 0x80 | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
            default: [0x81, 0x80 | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
            }
        return header + [0, 0, 0, 0] + text
    }
}

extension Collection<UInt8> {
    fileprivate var lowercasedASCII: [UInt8] {
        map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
    }
}
