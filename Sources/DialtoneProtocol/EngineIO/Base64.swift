/// Standard base64 (RFC 4648, with padding), for binary packets in polling payloads.
/// Written here because the protocol module stays free of Foundation; the server uses it for
/// `Sec-WebSocket-Accept` too.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `nil` for a length that is not a multiple of four, a character outside the alphabet, or
    /// padding anywhere but at the end.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var group: UInt32 = 0
        var filled = 0
        var padding = 0
        for byte in text {
            if byte == UInt8(ascii: "=") {
                padding += 1
                group <<= 6
            } else {
                guard padding == 0 else { return nil }
                let value = reverse[Int(byte)]
                guard value != 0xFF else { return nil }
                group = group << 6 | UInt32(value)
            }
            filled += 1
            if filled == 4 {
                guard padding <= 2 else { return nil }
                output.append(UInt8(group >> 16 & 0xFF))
                if padding < 2 { output.append(UInt8(group >> 8 & 0xFF)) }
                if padding < 1 { output.append(UInt8(group & 0xFF)) }
                group = 0
                filled = 0
                if padding > 0 { break }
            }
        }
        // Padding must have ended the text: `break` above leaves nothing unread only then.
        if padding > 0, output.count != (text.count / 4) * 3 - padding { return nil }
        return output
    }
}
