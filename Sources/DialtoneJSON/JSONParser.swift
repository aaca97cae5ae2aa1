/// A strict RFC 8259 parser over contiguous bytes.
///
/// Nesting is tracked on an explicit stack rather than the call stack, so hostile input such as
/// a million `[` costs one failed depth check instead of a crashed thread.
struct JSONParser {
    private enum ContainerKind {
        case array
        case object
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0
    /// Reused for strings with escapes, so only the resulting `String` is allocated.
    private var scratch: [UInt8] = []

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        // Raw bytes are viewed as UInt8, which aliases any memory.
        self.bytes = bytes.assumingMemoryBound(to: UInt8.self)
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONError) -> JSON {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw JSONError(.trailingCharacters, at: index, "found \(describe(bytes[index]))")
        }
        return value
    }

    /// Checks the text exactly as ``parseDocument()`` does, with the same errors, but builds
    /// nothing: no container, no string (except the decoded bytes of escapes, in `scratch`).
    mutating func validateDocument() throws(JSONError) {
        try skipValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw JSONError(.trailingCharacters, at: index, "found \(describe(bytes[index]))")
        }
    }

    /// ``parseValue()``'s walk without its stacks of values: an open container is one bit,
    /// set for an object.
    private mutating func skipValue() throws(JSONError) {
        var depth = 0
        var objectBits: UInt64 = 0
        // Only input nested deeper than 64 containers gets here.
        var deeperObjectBits: [Bool] = []
        func isObject(_ level: Int) -> Bool {
            level < 64 ? objectBits & (1 << UInt64(level)) != 0 : deeperObjectBits[level - 64]
        }
        func open(_ object: Bool) {
            if depth < 64 {
                if object { objectBits |= 1 << UInt64(depth) } else { objectBits &= ~(1 << UInt64(depth)) }
            } else {
                deeperObjectBits.append(object)
            }
            depth += 1
        }
        func close() {
            depth -= 1
            if depth >= 64 { deeperObjectBits.removeLast() }
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else {
                throw JSONError(.unexpectedEndOfInput, at: index, "expected a value")
            }
            switch bytes[index] {
            case UInt8(ascii: "["):
                try checkDepth(depth)
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                } else {
                    open(false)
                    continue
                }
            case UInt8(ascii: "{"):
                try checkDepth(depth)
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                } else {
                    open(true)
                    try skipKey()
                    continue
                }
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "t"):
                try expectLiteral("true")
            case UInt8(ascii: "f"):
                try expectLiteral("false")
            case UInt8(ascii: "n"):
                try expectLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try skipNumber()
            case let byte:
                throw JSONError(
                    .unexpectedCharacter, at: index, "expected a value, found \(describe(byte))")
            }

            closing: while true {
                guard depth > 0 else { return }
                skipWhitespace()
                guard index < bytes.count else {
                    throw JSONError(.unexpectedEndOfInput, at: index, "unclosed array or object")
                }
                let byte = bytes[index]
                index += 1
                if isObject(depth - 1) {
                    if byte == UInt8(ascii: ",") {
                        skipWhitespace()
                        try skipKey()
                        break closing
                    } else if byte != UInt8(ascii: "}") {
                        throw JSONError(
                            .unexpectedCharacter, at: index - 1,
                            "expected ',' or '}' after an object member, found \(describe(byte))")
                    }
                } else {
                    if byte == UInt8(ascii: ",") {
                        break closing
                    } else if byte != UInt8(ascii: "]") {
                        throw JSONError(
                            .unexpectedCharacter, at: index - 1,
                            "expected ',' or ']' after an array element, found \(describe(byte))")
                    }
                }
                close()
            }
        }
    }

    private mutating func parseValue() throws(JSONError) -> JSON {
        // Members of all open containers sit on two shared stacks and are copied out once, at
        // exactly their final size, when their container closes.
        var open: [(kind: ContainerKind, firstValue: Int, firstKey: Int)] = []
        var values: [JSON] = []
        var keys: [String] = []
        // Enough for a typical signaling message without regrowing.
        open.reserveCapacity(8)
        values.reserveCapacity(16)
        keys.reserveCapacity(16)
        while true {
            skipWhitespace()
            guard index < bytes.count else {
                throw JSONError(.unexpectedEndOfInput, at: index, "expected a value")
            }
            var value: JSON
            switch bytes[index] {
            case UInt8(ascii: "["):
                try checkDepth(open.count)
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    value = .array([])
                } else {
                    open.append((.array, values.count, keys.count))
                    continue
                }
            case UInt8(ascii: "{"):
                try checkDepth(open.count)
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    value = .object(JSONObject())
                } else {
                    open.append((.object, values.count, keys.count))
                    keys.append(try parseKey())
                    continue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            case let byte:
                throw JSONError(
                    .unexpectedCharacter, at: index, "expected a value, found \(describe(byte))")
            }

            // Attach the finished value to its container; closing a container finishes another value.
            closing: while true {
                guard let container = open.last else { return value }
                values.append(value)
                skipWhitespace()
                guard index < bytes.count else {
                    throw JSONError(.unexpectedEndOfInput, at: index, "unclosed array or object")
                }
                let byte = bytes[index]
                index += 1
                switch container.kind {
                case .array:
                    if byte == UInt8(ascii: ",") {
                        break closing
                    } else if byte == UInt8(ascii: "]") {
                        value = .array(exactCopy(of: values[container.firstValue...]))
                    } else {
                        throw JSONError(
                            .unexpectedCharacter, at: index - 1,
                            "expected ',' or ']' after an array element, found \(describe(byte))")
                    }
                case .object:
                    if byte == UInt8(ascii: ",") {
                        skipWhitespace()
                        keys.append(try parseKey())
                        break closing
                    } else if byte == UInt8(ascii: "}") {
                        value = .object(
                            JSONObject(
                                keys: exactCopy(of: keys[container.firstKey...]),
                                values: exactCopy(of: values[container.firstValue...])))
                        keys.removeSubrange(container.firstKey...)
                    } else {
                        throw JSONError(
                            .unexpectedCharacter, at: index - 1,
                            "expected ',' or '}' after an object member, found \(describe(byte))")
                    }
                }
                values.removeSubrange(container.firstValue...)
                open.removeLast()
            }
        }
    }

    /// `Array(slice)` of a slice that spans its whole buffer hands over that buffer: the
    /// outermost container would keep the parser's stacks, spare capacity included, for as long
    /// as the value lives (a connection's handshake payload lives as long as the connection).
    private func exactCopy<Element>(of slice: ArraySlice<Element>) -> [Element] {
        var copy: [Element] = []
        copy.reserveCapacity(slice.count)
        copy.append(contentsOf: slice)
        return copy
    }

    private func checkDepth(_ openContainers: Int) throws(JSONError) {
        guard openContainers < maxDepth else {
            throw JSONError(.tooDeep, at: index, "more than \(maxDepth) nested arrays and objects")
        }
    }

    /// Reads `"key"` and the colon after it, leaving the index at the member's value.
    private mutating func parseKey() throws(JSONError) -> String {
        try expectKeyQuote()
        let key = try parseString()
        try expectColon()
        return key
    }

    /// Checks `"key"` and the colon after it as ``parseKey()`` reads them.
    private mutating func skipKey() throws(JSONError) {
        try expectKeyQuote()
        try skipString()
        try expectColon()
    }

    private func expectKeyQuote() throws(JSONError) {
        guard index < bytes.count else {
            throw JSONError(.unexpectedEndOfInput, at: index, "expected an object key")
        }
        guard bytes[index] == UInt8(ascii: "\"") else {
            throw JSONError(
                .unexpectedCharacter, at: index,
                "expected a string as object key, found \(describe(bytes[index]))")
        }
    }

    private mutating func expectColon() throws(JSONError) {
        skipWhitespace()
        guard index < bytes.count else {
            throw JSONError(.unexpectedEndOfInput, at: index, "expected ':' after an object key")
        }
        guard bytes[index] == UInt8(ascii: ":") else {
            throw JSONError(
                .unexpectedCharacter, at: index,
                "expected ':' after an object key, found \(describe(bytes[index]))")
        }
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                index += 1
            default:
                return
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = index
        for expected in UnsafeRawBufferPointer(
            start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        {
            guard index < bytes.count else {
                throw JSONError(
                    .unexpectedEndOfInput, at: index, "inside literal starting at byte \(start)")
            }
            guard bytes[index] == expected else {
                throw JSONError(
                    .unexpectedCharacter, at: index,
                    "expected '\(literal)', found \(describe(bytes[index]))")
            }
            index += 1
        }
    }

    private mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let start = index
        try skipNumber()
        return JSONNumber(
            unchecked: String(
                decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }

    private mutating func skipNumber() throws(JSONError) {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else {
            throw JSONError(.unexpectedEndOfInput, at: index, "expected digits after '-'")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw JSONError(.invalidNumber, at: start, "leading zeros are not allowed")
            }
        } else if try skipDigits(after: "'-'") == 0 {
            throw JSONError(
                .invalidNumber, at: index, "expected a digit, found \(describe(bytes[index]))")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard try skipDigits(after: "'.'") > 0 else {
                throw JSONError(
                    .invalidNumber, at: index,
                    "expected a digit after '.', found \(describe(bytes[index]))")
            }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count,
                bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            guard try skipDigits(after: "the exponent mark") > 0 else {
                throw JSONError(
                    .invalidNumber, at: index,
                    "expected a digit in the exponent, found \(describe(bytes[index]))")
            }
        }
    }

    /// Skips a run of digits; fails if the input ends before the first one.
    private mutating func skipDigits(after what: String) throws(JSONError) -> Int {
        let start = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        if index == start, index == bytes.count {
            throw JSONError(.unexpectedEndOfInput, at: index, "expected a digit after \(what)")
        }
        return index - start
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    /// Parses a string starting at its opening quote. Strings without escapes, the common case
    /// for SDP and ids, are validated in place and copied once.
    private mutating func parseString() throws(JSONError) -> String {
        let quote = index
        let start = index + 1
        // A local cursor keeps the hot loop in registers; `index` is synced before anything that reads it.
        var position = start
        while position < bytes.count {
            position = skipPlainWords(from: position)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            index = position
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
                return try parseEscapedString(quote: quote)
            } else if byte < 0x20 {
                throw JSONError(
                    .controlCharacterInString, at: index,
                    "byte \(hex(byte)) must be written as an escape")
            }
            try skipUTF8Sequence()
            position = index
        }
        throw JSONError(
            .unexpectedEndOfInput, at: position, "unterminated string starting at byte \(quote)")
    }

    /// Checks a string starting at its opening quote as ``parseString()`` does.
    private mutating func skipString() throws(JSONError) {
        let quote = index
        var position = index + 1
        while position < bytes.count {
            position = skipPlainWords(from: position)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            index = position
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            } else if byte == UInt8(ascii: "\\") {
                // The decoded bytes are not kept; `scratch` only serves the escape's checks.
                scratch.removeAll(keepingCapacity: true)
                try decodeEscape()
            } else if byte < 0x20 {
                throw JSONError(
                    .controlCharacterInString, at: index,
                    "byte \(hex(byte)) must be written as an escape")
            } else {
                try skipUTF8Sequence()
            }
            position = index
        }
        throw JSONError(
            .unexpectedEndOfInput, at: position, "unterminated string starting at byte \(quote)")
    }

    /// Steps over whole 8-byte words of string content that need no attention (printable ASCII
    /// other than the quote and the backslash), eight bytes per test instead of one.
    private func skipPlainWords(from start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        // Bit-parallel tests; each is exact about whether some byte matches, which is all
        // that is asked here.
        func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highBits != 0 }
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        var position = start
        while position + 8 <= bytes.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            if word & highBits != 0 || (word &- ones &* 0x20) & ~word & highBits != 0
                || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\"")))) || hasZeroByte(word ^ (ones &* 0x5C))
            {
                return position
            }
            position += 8
        }
        return position
    }

    /// Continues a string at a backslash, decoding into `scratch`, which holds what came before.
    private mutating func parseEscapedString(quote: Int) throws(JSONError) -> String {
        var position = index
        var runStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                position += 1
                continue
            }
            index = position
            if byte == UInt8(ascii: "\"") {
                scratch.append(
                    contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                scratch.append(
                    contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try decodeEscape()
                runStart = index
            } else if byte < 0x20 {
                throw JSONError(
                    .controlCharacterInString, at: index,
                    "byte \(hex(byte)) must be written as an escape")
            } else {
                try skipUTF8Sequence()
            }
            position = index
        }
        throw JSONError(
            .unexpectedEndOfInput, at: position, "unterminated string starting at byte \(quote)")
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    private mutating func decodeEscape() throws(JSONError) {
        let backslash = index
        index += 1
        guard index < bytes.count else {
            throw JSONError(.unexpectedEndOfInput, at: index, "unfinished escape")
        }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(letter)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw JSONError(
                        .loneSurrogate, at: backslash,
                        "high surrogate not followed by a \\u low surrogate")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONError(
                        .loneSurrogate, at: backslash,
                        "high surrogate not followed by a low surrogate")
                }
                appendUTF8(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
            case 0xDC00...0xDFFF:
                throw JSONError(
                    .loneSurrogate, at: backslash,
                    "low surrogate without a high surrogate before it")
            default:
                appendUTF8(UInt32(unit))
            }
        default:
            throw JSONError(
                .invalidEscape, at: backslash, "unknown escape \\\(describeRaw(letter))")
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else {
                throw JSONError(
                    .unexpectedEndOfInput, at: index, "expected four hex digits after \\u")
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONError(
                    .invalidEscape, at: index,
                    "expected a hex digit after \\u, found \(describe(byte))")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Steps over one multi-byte UTF-8 sequence, accepting exactly the well-formed ones of
    /// Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF.
    private mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default:
            throw JSONError(
                .invalidUTF8, at: index, "byte \(hex(lead)) cannot start a UTF-8 sequence")
        }
        guard index + length <= bytes.count else {
            throw JSONError(.invalidUTF8, at: index, "truncated UTF-8 sequence")
        }
        guard secondRange.contains(bytes[index + 1]) else {
            throw JSONError(.invalidUTF8, at: index, "malformed UTF-8 sequence")
        }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
            throw JSONError(.invalidUTF8, at: index, "malformed UTF-8 sequence")
        }
        index += length
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(describeRaw(byte))'" : "byte \(hex(byte))"
    }

    private func describeRaw(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : hex(byte)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(digits)" : "0x\(digits)"
    }
}
