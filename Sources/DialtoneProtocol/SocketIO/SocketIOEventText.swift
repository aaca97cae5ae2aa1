/// Finds members of an event's arguments in the packet's JSON text, so a value can be passed on as
/// the bytes it arrived in instead of being serialised again from its parsed form.
public enum SocketIOEventText {
    /// The text of member `key` of the event's first argument, an object: in
    /// `["name",{"a":1,"key":<value>}]`, the text of `<value>`.
    ///
    /// `data` must be text that parsed as JSON. Returns `nil` where the text found could differ from
    /// what a lookup of `key` in the parsed object yields: when the argument is no object, has no
    /// such member, or an escaped key (which could spell `key`) comes before it.
    public static func firstArgumentMember(_ key: String, in data: Substring) -> Substring? {
        let range = data.utf8.withContiguousStorageIfAvailable { bytes -> Range<Int>? in
            var scanner = Scanner(bytes: bytes)
            return scanner.firstArgumentMember(key.utf8)
        }
        guard let range = range ?? nil else { return nil }
        let utf8 = data.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return data[start..<end]
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func firstArgumentMember(_ key: String.UTF8View) -> Range<Int>? {
            guard take(UInt8(ascii: "[")), skipString(), take(UInt8(ascii: ",")), take(UInt8(ascii: "{")) else {
                return nil
            }
            if take(UInt8(ascii: "}")) { return nil }
            while true {
                skipWhitespace()
                let keyStart = position + 1
                guard peek() == UInt8(ascii: "\""), let escaped = skipStringReportingEscapes() else { return nil }
                // A key with escapes could decode to `key`; comparing decoded keys is not worth it here.
                if escaped { return nil }
                let keyBytes = bytes[keyStart..<(position - 1)]
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                let valueStart = position
                guard skipValue() else { return nil }
                if keyBytes.elementsEqual(key) { return valueStart..<position }
                guard take(UInt8(ascii: ",")) else { return nil }
            }
        }

        private func peek() -> UInt8? {
            position < bytes.count ? bytes[position] : nil
        }

        private mutating func skipWhitespace() {
            while let byte = peek(),
                byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                    || byte == UInt8(ascii: "\t")
            {
                position += 1
            }
        }

        /// Skips whitespace and then `byte` if it comes next.
        private mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard peek() == byte else { return false }
            position += 1
            return true
        }

        private mutating func skipString() -> Bool {
            skipWhitespace()
            return peek() == UInt8(ascii: "\"") && skipStringReportingEscapes() != nil
        }

        /// From an opening quote to past the closing one; whether the string holds escapes, or
        /// `nil` when it does not end.
        private mutating func skipStringReportingEscapes() -> Bool? {
            var escaped = false
            position += 1
            while let byte = peek() {
                position += 1
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    position += 1
                } else if byte == UInt8(ascii: "\"") {
                    return escaped
                }
            }
            return nil
        }

        private mutating func skipValue() -> Bool {
            guard let first = peek() else { return false }
            switch first {
            case UInt8(ascii: "\""):
                return skipStringReportingEscapes() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let byte = peek() {
                    switch byte {
                    case UInt8(ascii: "\""):
                        guard skipStringReportingEscapes() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                    default:
                        break
                    }
                    position += 1
                    if depth == 0 { return true }
                }
                return false
            default:
                // A number or a literal runs up to the next delimiter.
                while let byte = peek(), byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"),
                    byte != UInt8(ascii: "]"), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\n"),
                    byte != UInt8(ascii: "\r"), byte != UInt8(ascii: "\t")
                {
                    position += 1
                }
                return true
            }
        }
    }
}
