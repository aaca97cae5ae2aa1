import DialtoneJSON

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
        firstArgumentMembers([key], in: data)?[0]
    }

    /// The texts of members `keys` of the event's first argument, an object, in the order of
    /// `keys`: each the first member of that name, `nil` where there is none. One pass over
    /// `data`, which must be text that parsed as JSON.
    ///
    /// Returns `nil` where the texts found could differ from what lookups in the parsed object
    /// yield: when the argument is no object, or a key with escapes (which could spell any of
    /// `keys`) comes before all of them are found.
    public static func firstArgumentMembers(_ keys: [String], in data: Substring) -> [Substring?]? {
        let ranges = data.utf8.withContiguousStorageIfAvailable { bytes -> [Range<Int>?]? in
            var scanner = Scanner(bytes: bytes)
            return scanner.firstArgumentMembers(keys)
        }
        // A Substring of a native String is contiguous; only a bridged one needs the copy.
        guard let ranges else { return firstArgumentMembers(keys, in: Substring(String(data))) }
        guard let ranges else { return nil }
        let utf8 = data.utf8
        return ranges.map { range in
            range.map { range in
                let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
                return data[start..<utf8.index(start, offsetBy: range.count)]
            }
        }
    }

    /// The name of an event, the string that starts `data`, which must be text that parsed as
    /// JSON; `nil` when `data` is no array or does not start with a string.
    public static func eventName(in data: Substring) -> String? {
        // Escapes, or a bridged string without contiguous bytes, take the parser.
        var needsParser = true
        let name = data.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var scanner = Scanner(bytes: bytes)
            guard let (range, escaped) = scanner.eventName() else {
                needsParser = false
                return nil
            }
            guard !escaped else { return nil }
            needsParser = false
            let quoted = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
            return String(decoding: UnsafeBufferPointer(rebasing: quoted), as: UTF8.self)
        }
        guard needsParser else { return name ?? nil }
        return (try? JSON(parsing: data.utf8))?.arrayValue?.first?.stringValue
    }

    /// The value of `json`, a JSON string token, when it is not empty and holds no escapes; `nil`
    /// otherwise (then parse it).
    public static func plainString(_ json: Substring) -> String? {
        let plain = json.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard bytes.count > 2, bytes[0] == UInt8(ascii: "\""), !bytes.contains(UInt8(ascii: "\\")) else {
                return nil
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[1..<(bytes.count - 1)]), as: UTF8.self)
        }
        return plain ?? plainString(Substring(String(json)))
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// The range of the name's JSON string, quotes included, and whether it holds escapes.
        mutating func eventName() -> (Range<Int>, escaped: Bool)? {
            guard take(UInt8(ascii: "[")) else { return nil }
            skipWhitespace()
            let start = position
            guard peek() == UInt8(ascii: "\""), let escaped = skipStringReportingEscapes() else { return nil }
            return (start..<position, escaped)
        }

        /// See ``SocketIOEventText/firstArgumentMembers(_:in:)``; byte ranges.
        mutating func firstArgumentMembers(_ keys: [String]) -> [Range<Int>?]? {
            guard take(UInt8(ascii: "[")), skipString(), take(UInt8(ascii: ",")), take(UInt8(ascii: "{")) else {
                return nil
            }
            var found = [Range<Int>?](repeating: nil, count: keys.count)
            var missing = keys.count
            if take(UInt8(ascii: "}")) { return found }
            while missing > 0 {
                skipWhitespace()
                let keyStart = position + 1
                guard peek() == UInt8(ascii: "\""), let escaped = skipStringReportingEscapes() else { return nil }
                // A key with escapes could decode to any of `keys`; comparing decoded keys is not worth it here.
                if escaped { return nil }
                let key = UnsafeBufferPointer(rebasing: bytes[keyStart..<(position - 1)])
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                let valueStart = position
                guard skipValue() else { return nil }
                // Keys are compared as bytes: unescaped keys equal as strings are equal as bytes,
                // canonical equivalents aside, which no signaling key has.
                for (index, wanted) in keys.enumerated() where found[index] == nil && Self.equal(wanted, key) {
                    found[index] = valueStart..<position
                    missing -= 1
                    break
                }
                if take(UInt8(ascii: "}")) { return found }
                guard take(UInt8(ascii: ",")) else { return nil }
            }
            return found
        }

        private static func equal(_ key: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            key.utf8.count == bytes.count
                && (key.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) }
                    ?? key.utf8.elementsEqual(bytes))
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
            while true {
                skipWordsWithoutQuoteOrBackslash()
                guard let byte = peek() else { break }
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

        /// Steps over whole 8-byte words holding neither a quote nor a backslash, eight bytes per
        /// test (string contents are most of a signaling message).
        private mutating func skipWordsWithoutQuoteOrBackslash() {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highBits: UInt64 = 0x8080_8080_8080_8080
            // Exact about whether some byte is zero, which is all that is asked here.
            func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highBits != 0 }
            guard let base = bytes.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            while position + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                if hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\"")))) || hasZeroByte(word ^ (ones &* 0x5C)) {
                    return
                }
                position += 8
            }
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
