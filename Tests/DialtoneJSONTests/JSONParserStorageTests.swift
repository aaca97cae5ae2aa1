import Testing

@testable import DialtoneJSON

/// A parsed value is often kept for a connection's life (its handshake payload): it must not hold
/// on to the parser's working stacks.
@Suite struct JSONParserStorageTests {
    @Test func theOutermostObjectKeepsNoSpareCapacity() throws {
        guard case .object(let object) = try JSON(parsing: #"{"userId":"alice"}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys.capacity < 4)
        #expect(object.values.capacity < 4)
    }

    @Test func theOutermostArrayKeepsNoSpareCapacity() throws {
        guard case .array(let elements) = try JSON(parsing: "[1,2]") else {
            Issue.record("not an array")
            return
        }
        #expect(elements.capacity < 4)
    }
}
