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
}
