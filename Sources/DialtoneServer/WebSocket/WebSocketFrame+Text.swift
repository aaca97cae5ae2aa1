import NIOCore
import NIOWebSocket

extension WebSocketFrame {
    /// The application data as a string, unmasked as it is copied into the string: one copy of a
    /// client's message instead of two (`unmaskedData`'s buffer, then the string). Malformed
    /// UTF-8 is repaired, as `String(buffer:)` does.
    var unmaskedText: String {
        guard let maskKey else { return String(buffer: data) }
        // As `unmaskedData` does: the mask runs on from the extension data, which comes first.
        let offset = (extensionData?.readableBytes ?? 0) % 4
        var wideKey: UInt64 = 0
        withUnsafeMutableBytes(of: &wideKey) { key in
            for index in key.indices { key[index] = maskKey[(index + offset) % 4] }
        }
        return data.withUnsafeReadableBytes { masked in
            String(unsafeUninitializedCapacity: masked.count) { text in
                let count = masked.count
                let words = UnsafeMutableRawBufferPointer(text)
                var index = 0
                while index + 8 <= count {
                    let word = masked.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ wideKey
                    words.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
                    index += 8
                }
                while index < count {
                    text[index] = masked[index] ^ maskKey[(index + offset) % 4]
                    index += 1
                }
                return count
            }
        }
    }
}
