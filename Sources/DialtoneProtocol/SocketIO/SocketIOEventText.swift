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
        var found: Substring?
        let complete = firstArgumentMembers(in: data) { memberKey, value in
            guard memberKey == key else { return true }
            found = value
            return false
        }
        return complete ? found : nil
    }

    /// Calls `visit` with each member of the event's first argument, an object, in order: its key
    /// as written and its value's JSON text, until `visit` returns `false`.
    ///
    /// `data` must be text that parsed as JSON. Returns `false` when the argument is no object
    /// or a key visited or about to be holds an escape (whatever `visit` saw is then not what a
    /// parser yields: the key could spell another, so ignore it); `true` otherwise.
    public static func firstArgumentMembers(
        in data: Substring, _ visit: (_ key: Substring, _ value: Substring) -> Bool
    ) -> Bool {
        let utf8 = data.utf8
        func text(_ range: Range<Int>) -> Substring {
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return data[start..<utf8.index(start, offsetBy: range.count)]
        }
        let complete = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var scanner = Scanner(bytes: bytes)
            return scanner.firstArgumentMembers { key, value in visit(text(key), text(value)) }
        }
        // A Substring of a native String is contiguous; only a bridged one would need the copy.
        return complete ?? firstArgumentMembers(in: Substring(String(data)), visit)
    }

    /// The name of an event, the string that starts `data`, which must be text that parsed as
    /// JSON; `nil` when `data` is no array or does not start with a string.
    public static func eventName(in data: Substring) -> String? {
        let name = data.utf8.withContiguousStorageIfAvailable { bytes -> Substring? in
            var scanner = Scanner(bytes: bytes)
            guard let range = scanner.eventName() else { return nil }
            let utf8 = data.utf8
            let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            return data[start..<utf8.index(start, offsetBy: range.count)]
        }
        guard let name else { return eventName(in: Substring(String(data))) }
        guard let quoted = name else { return nil }
        guard quoted.utf8.contains(UInt8(ascii: "\\")) else { return String(Substring(quoted.utf8.dropFirst().dropLast())) }
        return (try? JSON(parsing: quoted.utf8))?.stringValue
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        /// The range of the name's JSON string, quotes included.
        mutating func eventName() -> Range<Int>? {
            guard take(UInt8(ascii: "[")) else { return nil }
            skipWhitespace()
            let start = position
            guard peek() == UInt8(ascii: "\""), skipStringReportingEscapes() != nil else { return nil }
            return start..<position
        }

        /// See ``SocketIOEventText/firstArgumentMembers(in:_:)``; `visit` gets byte ranges.
        mutating func firstArgumentMembers(_ visit: (_ key: Range<Int>, _ value: Range<Int>) -> Bool) -> Bool {
            guard take(UInt8(ascii: "[")), skipString(), take(UInt8(ascii: ",")), take(UInt8(ascii: "{")) else {
                return false
            }
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                let keyStart = position + 1
                guard peek() == UInt8(ascii: "\""), let escaped = skipStringReportingEscapes() else { return false }
                // A key with escapes could decode to any other; comparing decoded keys is not worth it here.
                if escaped { return false }
                let key = keyStart..<(position - 1)
                guard take(UInt8(ascii: ":")) else { return false }
                skipWhitespace()
                let valueStart = position
                guard skipValue() else { return false }
                if !visit(key, valueStart..<position) { return true }
                if take(UInt8(ascii: "}")) { return true }
                guard take(UInt8(ascii: ",")) else { return false }
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
