import DialtoneJSON
import Testing

/// `JSON.validate` must accept and refuse exactly what the parser does, with the same error.
@Suite struct JSONValidationTests {
    private static func validate(_ bytes: [UInt8], maxDepth: Int = JSON.defaultMaxDepth) -> JSONError? {
        bytes.withUnsafeBytes { buffer in
            do throws(JSONError) {
                try JSON.validate(buffer, maxDepth: maxDepth)
                return nil
            } catch {
                return error
            }
        }
    }

    private static func parse(_ bytes: [UInt8], maxDepth: Int = JSON.defaultMaxDepth) -> JSONError? {
        do throws(JSONError) {
            _ = try JSON(parsing: bytes, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: JSONCorpusTests.accepted)
    func acceptsWhatTheParserAccepts(_ name: String, _ text: String) {
        #expect(Self.validate(Array(text.utf8)) == nil, "\(name)")
    }

    @Test(arguments: JSONCorpusTests.rejected)
    func refusesWithTheParsersError(_ name: String, _ text: String, _ reason: JSONError.Reason) {
        let error = Self.validate(Array(text.utf8))
        #expect(error?.reason == reason, "\(name)")
        #expect(error?.description == Self.parse(Array(text.utf8))?.description, "\(name)")
    }

    @Test(arguments: JSONCorpusTests.malformedUTF8)
    func refusesMalformedUTF8(_ name: String, _ bytes: [UInt8]) {
        #expect(Self.validate(bytes)?.reason == .invalidUTF8, "\(name)")
    }

    @Test(
        "nesting: the depth limit and closing brackets are checked beyond 64 levels too",
        arguments: [
            (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), 128),
            (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), 99),
            (String(repeating: "[{\"a\":", count: 70) + "1" + String(repeating: "}]", count: 70), 140),
            (String(repeating: "[{\"a\":", count: 70) + "1" + String(repeating: "]}", count: 70), 140),
            (String(repeating: "[{\"a\":", count: 70) + "1" + String(repeating: "}]", count: 69) + "]}", 140),
            ("[{\"a\":[1,{\"b\":{}}],\"c\":[]},[[],{}]]", 3),
            ("[{\"a\":[1,{\"b\":{}}],\"c\":[]},[[],{}]]", 4),
        ])
    func nesting(text: String, maxDepth: Int) {
        let bytes = Array(text.utf8)
        #expect(
            Self.validate(bytes, maxDepth: maxDepth)?.description == Self.parse(bytes, maxDepth: maxDepth)?.description)
    }

    /// Strings are skipped a word at a time: each byte that needs attention, at every offset
    /// around the word boundaries, must still be seen.
    @Test(
        "strings: escapes, control bytes, UTF-8 and the end found at every offset",
        arguments: [
            ("\\n", "\n"), ("\\u00e9", "\u{e9}"), ("é", "é"), ("😀", "😀"), ("\\\"", "\""), ("", ""),
        ] as [(String, String)])
    func stringsAtEveryOffset(special: String, decoded: String) throws {
        for offset in 0..<20 {
            let before = String(repeating: "a", count: offset)
            let after = String(repeating: "b", count: 19 - offset)
            let text = "[\"" + before + special + after + "\",1]"
            #expect(Self.validate(Array(text.utf8)) == nil, "\(text)")
            #expect(try JSON(parsing: text) == [.string(before + decoded + after), 1], "\(text)")
        }
        for offset in 0..<20 {
            let control = "[\"" + String(repeating: "a", count: offset) + "\u{1}" + String(repeating: "b", count: 12) + "\"]"
            #expect(Self.validate(Array(control.utf8))?.reason == .controlCharacterInString, "\(offset)")
            var malformed = Array(("[\"" + String(repeating: "a", count: offset)).utf8)
            malformed += [0xFF] + Array((String(repeating: "b", count: 12) + "\"]").utf8)
            #expect(Self.validate(malformed)?.reason == .invalidUTF8, "\(offset)")
            #expect(Self.parse(malformed)?.reason == .invalidUTF8, "\(offset)")
        }
    }
}
