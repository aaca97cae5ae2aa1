import DialtoneCore
import DialtoneJSON

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads `history.json` in one pass over its bytes, making each ended call straight from the
/// text: no `JSON` tree for 100,000 records, no `String` for a time or a key. Members may come in
/// any order (Foundation's coder wrote them in hash order) and unknown ones are skipped. Anything
/// it skips or does not read itself (numbers, payloads, live calls) goes through the strict
/// ``JSON`` parser, so the file is refused exactly when it is not valid JSON or not a history.
///
/// The ended calls are read in a second step (``records(in:)``), so that a daemon can serve
/// before it has read them: ``document()`` only delimits the `calls` array.
struct HistoryScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads the format and the live calls, and finds where the `calls` array lies.
    mutating func document() throws(PersistenceError) -> (live: [LiveCall], calls: Range<Int>) {
        var format: Int?
        var calls: Range<Int>?
        var live: [LiveCall]?
        var more = try open("{", "", expected: "an object")
        while more {
            let key = try key()
            if key.matches("format") {
                guard let number = try parsedValue("format").intValue else {
                    throw .wrongType("format", expected: "an integer")
                }
                format = number
            } else if key.matches("calls") {
                if format != nil, live != nil {
                    // As dialtone writes the file: the rest is the records, read later, and the
                    // closing brace. Nothing needs to look at them now.
                    calls = try restOfDocument("calls")
                    break
                }
                calls = try arrayRange("calls")
            } else if key.matches("live") {
                live = try liveCalls()
            } else {
                try skipValue(key.name)
            }
            more = try next("}")
        }
        skipWhitespace()
        guard index == bytes.count else { throw malformed("") }
        guard let format else { throw .missing("format") }
        guard format == HistoryDocument.currentFormat else {
            throw .invalid("format", "history format \(format) is not \(HistoryDocument.currentFormat)")
        }
        guard let calls else { throw .missing("calls") }
        guard let live else { throw .missing("live") }
        return (live, calls)
    }

    /// Where the array that starts at `start` ends, minding only strings and brackets; `nil` when
    /// it does not end.
    mutating func arrayExtent(at start: Int) -> Range<Int>? {
        index = start
        return try? arrayRange("calls")
    }

    /// Reads the ended calls in `range`, the `calls` array that ``document()`` found, and any
    /// members after it that the range runs on to (skipped, checked).
    mutating func records(in range: Range<Int>) throws(PersistenceError) -> [CallRecord] {
        index = range.lowerBound
        let records = try records()
        while index < range.upperBound {
            skipWhitespace()
            guard index < range.upperBound else { break }
            guard peek() == UInt8(ascii: ",") else { throw malformed("") }
            index += 1
            let key = try key()
            // They were read before `calls`: a second one would be the one that counts.
            if key.matches("format") || key.matches("live") || key.matches("calls") {
                throw .invalid(key.name, "the member is named twice")
            }
            try skipValue(key.name)
        }
        guard index == range.upperBound else { throw malformed("") }
        return records
    }

    // MARK: History members

    private mutating func records() throws(PersistenceError) -> [CallRecord] {
        var records: [CallRecord] = []
        // Records are about 280 bytes each: enough room that the array rarely regrows.
        records.reserveCapacity((bytes.count - index) / 256)
        var more = try open("[", "calls", expected: "an array")
        while more {
            do throws(PersistenceError) {
                records.append(try record())
            } catch {
                throw error.inside("calls[\(records.count)]")
            }
            more = try next("]")
        }
        return records
    }

    private mutating func liveCalls() throws(PersistenceError) -> [LiveCall] {
        var calls: [LiveCall] = []
        var more = try open("[", "live", expected: "an array")
        while more {
            do throws(PersistenceError) {
                calls.append(try LiveCall(persisted: try parsedValue("")))
            } catch {
                throw error.inside("live[\(calls.count)]")
            }
            more = try next("]")
        }
        return calls
    }

    private mutating func record() throws(PersistenceError) -> CallRecord {
        var callId: String?
        var from: String?
        var participants: [String]?
        var media: Media?
        var status: CallState?
        var endReason: EndReason?
        var createdAt: Timestamp?
        var answeredAt: Timestamp?
        var endedAt: Timestamp?
        var more = try open("{", "", expected: "an object")
        while more {
            let key = try key()
            if key.matches("callId") {
                callId = try string("callId")
            } else if key.matches("from") {
                from = try string("from")
            } else if key.matches("participants") {
                participants = try strings("participants")
            } else if key.matches("media") {
                media = try value("media", as: Media.self)
            } else if key.matches("status") {
                status = try value("status", as: CallState.self)
            } else if key.matches("endReason") {
                endReason = try value("endReason", as: EndReason.self)
            } else if key.matches("createdAt") {
                createdAt = try timestamp("createdAt")
            } else if key.matches("answeredAt") {
                answeredAt = try timestamp("answeredAt")
            } else if key.matches("endedAt") {
                endedAt = try timestamp("endedAt")
            } else {
                // `duration` is derived from the times, never read.
                try skipValue(key.name)
            }
            more = try next("}")
        }
        func required<Value>(_ value: Value?, _ key: String) throws(PersistenceError) -> Value {
            guard let value else { throw .missing(key) }
            return value
        }
        return try CallRecord(
            validatingCallId: try required(callId, "callId"), from: try required(from, "from"),
            participants: try required(participants, "participants"), media: try required(media, "media"),
            status: try required(status, "status"), endReason: try required(endReason, "endReason"),
            createdAt: try required(createdAt, "createdAt"), answeredAt: answeredAt,
            endedAt: try required(endedAt, "endedAt"))
    }

    // MARK: Values (`null` reads as absent, as in the rest of the file)

    private mutating func string(_ field: String) throws(PersistenceError) -> String? {
        guard !(try null()) else { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw .wrongType(field, expected: "a string") }
        return try stringLiteral(field)
    }

    private mutating func strings(_ field: String) throws(PersistenceError) -> [String]? {
        guard !(try null()) else { return nil }
        var result: [String] = []
        var more = try open("[", field, expected: "an array")
        while more {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw .wrongType("\(field)[\(result.count)]", expected: "a string") }
            result.append(try stringLiteral(field))
            more = try next("]")
        }
        return result
    }

    private mutating func value<Value: RawRepresentable<String>>(_ field: String, as type: Value.Type)
        throws(PersistenceError) -> Value?
    {
        guard let text = try string(field) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw .invalid(field, "\"\(text.prefix(64))\" is not a known value")
        }
        return value
    }

    private mutating func timestamp(_ field: String) throws(PersistenceError) -> Timestamp? {
        guard !(try null()) else { return nil }
        guard peek() == UInt8(ascii: "\"") else { throw .wrongType(field, expected: "a string") }
        let literal = try stringRange(field)
        let timestamp =
            literal.escaped
            ? Timestamp(iso8601: try stringLiteral(in: literal.range, field))
            : Timestamp(iso8601: UnsafeBufferPointer(rebasing: bytes[literal.range.dropFirst().dropLast()]))
        guard let timestamp else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[literal.range]), as: UTF8.self)
            throw .invalid(field, "\(text.prefix(66)) is not an ISO-8601 date-time")
        }
        return timestamp
    }

    /// Skips a value nobody reads, checking it is valid JSON. Every record has a `duration`, a
    /// plain decimal: that is checked here without the parser's setup.
    private mutating func skipValue(_ field: String) throws(PersistenceError) {
        skipWhitespace()
        let start = index
        while let byte = peek(), !Self.endsScalar(byte) { index += 1 }
        if Self.isPlainDecimal(UnsafeBufferPointer(rebasing: bytes[start..<index])) { return }
        index = start
        _ = try parsedValue(field)
    }

    /// Skips a value of any kind and parses it strictly with ``JSON``.
    private mutating func parsedValue(_ field: String) throws(PersistenceError) -> JSON {
        skipWhitespace()
        let start = index
        switch peek() {
        case UInt8(ascii: "\""):
            _ = try stringRange(field)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            var depth = 0
            repeat {
                guard let byte = peek() else { throw malformed(field) }
                switch byte {
                case UInt8(ascii: "\""):
                    _ = try stringRange(field)
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                default: break
                }
                index += 1
            } while depth > 0
        default:
            while let byte = peek(), !Self.endsScalar(byte) { index += 1 }
        }
        do {
            return try JSON(parsing: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
        } catch {
            throw .invalid(field, "not valid JSON (\(error))")
        }
    }

    // MARK: Syntax

    /// The `calls` array that starts here, taken to run to the document's closing brace: it is the
    /// last member when the file is as dialtone writes it, and ``records(in:)`` reads whatever
    /// else is there. Only the ends of the file are looked at.
    private mutating func restOfDocument(_ field: String) throws(PersistenceError) -> Range<Int> {
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else {
            if peek() == nil { throw malformed(field) }
            throw .wrongType(field, expected: "an array")
        }
        var end = bytes.count
        while end > index, Self.isWhitespace(bytes[end - 1]) { end -= 1 }
        guard end > index + 1, bytes[end - 1] == UInt8(ascii: "}") else {
            index = end
            throw malformed("")
        }
        defer { index = end }
        return index..<(end - 1)
    }

    /// Finds the end of the array that starts here minding only strings and brackets, at memory
    /// speed: what is inside is checked when ``records(in:)`` reads it.
    private mutating func arrayRange(_ field: String) throws(PersistenceError) -> Range<Int> {
        skipWhitespace()
        guard peek() == UInt8(ascii: "[") else {
            if peek() == nil { throw malformed(field) }
            throw .wrongType(field, expected: "an array")
        }
        let start = index
        var depth = 0
        var position = index
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\""):
                position += 1
                while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                    if bytes[position] == UInt8(ascii: "\\") { position += 1 }
                    position += 1
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 {
                    index = position + 1
                    return start..<index
                }
            default:
                break
            }
            position += 1
        }
        index = bytes.count
        throw malformed(field)
    }

    private struct Key {
        /// The bytes between the quotes when there were no escapes, else the decoded name.
        let raw: UnsafeBufferPointer<UInt8>?
        let decoded: String?

        var name: String { decoded ?? String(decoding: raw ?? UnsafeBufferPointer(start: nil, count: 0), as: UTF8.self) }

        /// Compares bytes, without making a `String`, when the key had no escapes.
        func matches(_ expected: StaticString) -> Bool {
            let wanted = UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)
            guard let raw else { return name.utf8.elementsEqual(wanted) }
            return raw.count == wanted.count && memcmp(raw.baseAddress!, wanted.baseAddress!, raw.count) == 0
        }
    }

    /// A member name and its colon.
    private mutating func key() throws(PersistenceError) -> Key {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw malformed("") }
        let literal = try stringRange("")
        let key: Key
        if literal.escaped {
            key = Key(raw: nil, decoded: try stringLiteral(in: literal.range, ""))
        } else {
            key = Key(raw: UnsafeBufferPointer(rebasing: bytes[literal.range.dropFirst().dropLast()]), decoded: nil)
        }
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw malformed(key.name) }
        index += 1
        return key
    }

    /// Consumes `opening`; whether a first element follows (false for `[]` or `{}`).
    private mutating func open(_ opening: Unicode.Scalar, _ field: String, expected: String)
        throws(PersistenceError) -> Bool
    {
        skipWhitespace()
        guard peek() == UInt8(ascii: opening) else {
            if peek() == nil { throw malformed(field) }
            throw .wrongType(field, expected: expected)
        }
        index += 1
        skipWhitespace()
        let closing = opening == "[" ? UInt8(ascii: "]") : UInt8(ascii: "}")
        guard peek() == closing else { return true }
        index += 1
        return false
    }

    /// After an element: consumes `,` (another follows) or `closing` (the end).
    private mutating func next(_ closing: Unicode.Scalar) throws(PersistenceError) -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: ","):
            index += 1
            return true
        case UInt8(ascii: closing):
            index += 1
            return false
        default:
            throw malformed("")
        }
    }

    private mutating func null() throws(PersistenceError) -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "n") else { return false }
        let literal = "null".utf8
        guard bytes.count - index >= 4, bytes[index..<index + 4].elementsEqual(literal) else { throw malformed("") }
        index += 4
        return true
    }

    /// The range of a string literal, quotes included, and whether it has escapes.
    private mutating func stringRange(_ field: String) throws(PersistenceError) -> (range: Range<Int>, escaped: Bool) {
        let start = index
        index += 1
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start..<index, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            } else if byte < 0x20 {
                throw malformed(field)
            }
            index += 1
        }
        throw malformed(field)
    }

    private mutating func stringLiteral(_ field: String) throws(PersistenceError) -> String {
        let literal = try stringRange(field)
        guard !literal.escaped else { return try stringLiteral(in: literal.range, field) }
        let content = UnsafeBufferPointer(rebasing: bytes[literal.range.dropFirst().dropLast()])
        // Ids are ASCII: decoding needs no validation then, and validating is the slow path.
        if !content.contains(where: { $0 >= 0x80 }) { return String(decoding: content, as: UTF8.self) }
        guard let text = String(validating: content, as: UTF8.self) else {
            throw .invalid(field, "not valid UTF-8")
        }
        return text
    }

    /// Escapes are rare in a history (user ids and call ids are plain): the JSON parser decodes them.
    private func stringLiteral(in range: Range<Int>, _ field: String) throws(PersistenceError) -> String {
        let parsed = try? JSON(parsing: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range])))
        guard case .string(let text) = parsed else { throw .invalid(field, "not a valid JSON string") }
        return text
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), Self.isWhitespace(byte) { index += 1 }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// `0`, `12` or `12.345`: digits, at most one point between digits, no leading zero.
    private static func isPlainDecimal(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = text.first, first != UInt8(ascii: "0") || text.count == 1 else { return false }
        var sawPoint = false
        var previousIsDigit = false
        for byte in text {
            if byte == UInt8(ascii: "."), previousIsDigit, !sawPoint {
                sawPoint = true
                previousIsDigit = false
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                previousIsDigit = true
            } else {
                return false
            }
        }
        return previousIsDigit
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
            || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func malformed(_ field: String) -> PersistenceError {
        .invalid(field, "malformed JSON at byte \(index)")
    }
}
