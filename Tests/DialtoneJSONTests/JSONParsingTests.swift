import DialtoneJSON
import Testing

@Suite struct JSONParsingTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSON(
            parsing: #"{"n":null,"t":true,"f":false,"i":-12,"s":"x","a":[1,[]],"o":{}}"#)
        #expect(
            value == ["n": nil, "t": true, "f": false, "i": -12, "s": "x", "a": [1, []], "o": [:]])
    }

    @Test func keepsMemberOrderAndDuplicates() throws {
        let object = try #require(try JSON(parsing: #"{"b":1,"a":2,"b":3}"#).objectValue)
        #expect(object.map(\.key) == ["b", "a", "b"])
        #expect(object.map(\.value) == [1, 2, 3])
    }

    @Test(arguments: [
        "0", "-0", "1.50", "1E+2", "1e-7", "-0.000001",
        "123456789012345678901234567890", "1e400", "-1e-400", "0.10000000000000000000000001",
    ])
    func keepsNumberText(_ text: String) throws {
        #expect(try JSON(parsing: text) == .number(try #require(JSONNumber(text: text))))
        #expect(try JSON(parsing: "[\(text)]").serialized() == "[\(text)]")
    }

    @Test func decodesEscapes() throws {
        let value = try JSON(parsing: #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u0000""#)
        #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tAé€\u{0}"))
    }

    @Test func joinsSurrogatePairs() throws {
        #expect(try JSON(parsing: #""\ud83d\ude00 \uD834\uDD1E""#) == .string("😀 𝄞"))
    }

    @Test func rawUTF8PassesThroughStrings() throws {
        #expect(try JSON(parsing: #"{"ключ":"日本語 😀"}"#) == ["ключ": "日本語 😀"])
    }

    @Test func reportsWhereTheInputIsWrong() {
        let error = #expect(throws: JSONError.self) { try JSON(parsing: "{\"a\": [1, 2 x]}") }
        #expect(error?.reason == .unexpectedCharacter)
        #expect(error?.offset == 12)
        #expect(
            error?.description
                == "unexpected character at byte 12: expected ',' or ']' after an array element, found 'x'"
        )
    }

    @Test func reportsOffsetsOfStringErrors() {
        let control = #expect(throws: JSONError.self) { try JSON(parsing: "[\"ab\u{1}\"]") }
        #expect(control?.offset == 4)
        let surrogate = #expect(throws: JSONError.self) { try JSON(parsing: #"["x\uDC00"]"#) }
        #expect(surrogate?.offset == 3)
        let utf8 = #expect(throws: JSONError.self) {
            try JSON(parsing: [0x5B, 0x22, 0x61, 0xC3, 0x28, 0x22, 0x5D])
        }
        #expect(utf8?.offset == 3)
        let unterminated = #expect(throws: JSONError.self) { try JSON(parsing: #"{"a":"bc"#) }
        #expect(unterminated?.reason == .unexpectedEndOfInput)
        #expect(unterminated?.offset == 8)
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSON.defaultMaxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSON(parsing: text)
        var levels = 0
        while let inner = value.arrayValue {
            levels += 1
            value = inner.first ?? .null
        }
        #expect(levels == depth)
    }

    @Test func rejectsNestingBeyondTheLimit() {
        let depth = JSON.defaultMaxDepth + 1
        let text = String(repeating: "{\"a\":[", count: depth / 2 + 1) + "1"
        let error = #expect(throws: JSONError.self) { try JSON(parsing: text) }
        #expect(error?.reason == .tooDeep)
        // The container past the limit is the `{` opening group number 64, six bytes per group.
        #expect(error?.offset == 6 * (JSON.defaultMaxDepth / 2))
    }

    @Test func survivesAMillionOpenBrackets() {
        let bomb = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        let error = #expect(throws: JSONError.self) { try JSON(parsing: bomb) }
        #expect(error?.reason == .tooDeep)
        #expect(error?.offset == JSON.defaultMaxDepth)
    }

    @Test func honoursACustomDepthLimit() throws {
        #expect(throws: JSONError.self) { try JSON(parsing: "[[1]]", maxDepth: 1) }
        #expect(try JSON(parsing: "[1]", maxDepth: 1) == [1])
        #expect(try JSON(parsing: "1", maxDepth: 0) == 1)
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(try JSON(parsing: deep, maxDepth: 1000).arrayValue?.count == 1)
    }

    @Test func everyInputTypeGivesTheSameValue() throws {
        let text = #"{"sdp":"v=0\r\n","n":[1.0,true]}"#
        let bytes = Array(text.utf8)
        let expected = try JSON(parsing: text)
        #expect(try JSON(parsing: bytes) == expected)
        #expect(try JSON(parsing: ([0x20] + bytes + [0x20])[1...]) == expected)
        #expect(try bytes.withUnsafeBytes { try JSON(parsing: $0) } == expected)
        #expect(try JSON(parsing: bytes.lazy.map { $0 }) == expected)
        #expect(try JSON(parsing: text.utf8) == expected)
    }

    @Test func sliceOffsetsCountFromTheSliceStart() {
        let bytes = Array("xx[1,]".utf8)[2...]
        let error = #expect(throws: JSONError.self) { try JSON(parsing: bytes) }
        #expect(error?.offset == 3)
    }

    @Test func parsesALargeArrayInOnePass() throws {
        let count = 200_000
        let text =
            "[" + Array(repeating: "{\"k\":\"v\"}", count: count).joined(separator: ",") + "]"
        #expect(try JSON(parsing: text).arrayValue?.count == count)
    }
}
