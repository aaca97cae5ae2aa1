import DialtoneJSON
import Foundation
import Testing

@Suite struct JSONCodableTests {
    struct Record: Codable, Equatable {
        var callId: String
        var metadata: JSON
    }

    @Test func embedsJSONInAFoundationRecord() throws {
        let metadata = try JSON(
            parsing:
                #"{"n":null,"t":true,"i":-7,"u":18446744073709551615,"d":2.5,"s":"é\n","a":[1,[false]],"o":{"k":"v"}}"#
        )
        let record = Record(callId: "call_1", metadata: metadata)
        let encoded = try JSONEncoder().encode(record)
        let decoded = try JSONDecoder().decode(Record.self, from: encoded)
        #expect(decoded.callId == "call_1")
        // Foundation does not promise key order, so compare members as sets.
        let members = try #require(decoded.metadata.objectValue)
        #expect(members.count == 8)
        for (key, value) in try #require(metadata.objectValue) {
            #expect(members[key] == value, "\(key)")
        }
    }

    @Test func decodesEachKindOfTopLevelValue() throws {
        let cases: [(String, JSON)] = [
            ("null", nil), ("true", true), ("false", false), ("-3", -3), ("0.25", 0.25),
            (#""x""#, "x"), ("[1,\"a\"]", [1, "a"]), (#"{"a":{"b":[]}}"#, ["a": ["b": []]]),
        ]
        for (text, expected) in cases {
            #expect(
                try JSONDecoder().decode(JSON.self, from: Data(text.utf8)) == expected, "\(text)")
        }
    }

    @Test func encodesNumbersByValue() throws {
        let value = try JSON(parsing: "[12,-9223372036854775808,18446744073709551615,1.5]")
        let text = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        #expect(try JSON(parsing: text) == value)
    }

    @Test func refusesNumbersBeyondDouble() throws {
        let value = try JSON(parsing: "[1e400]")
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(value) }
    }
}
