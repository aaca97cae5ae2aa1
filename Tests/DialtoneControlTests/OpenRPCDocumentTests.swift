import DialtoneJSON
import Testing

@testable import DialtoneControl

@Suite struct OpenRPCDocumentTests {
    private let document = OpenRPCDocument.make(methods: ControlMethods.all, version: "9.9.9")

    @Test func describesEveryMethodOfTheTable() throws {
        #expect(document["openrpc"]?.stringValue?.hasPrefix("1.") == true)
        #expect(document["info"]?["version"] == "9.9.9")
        let methods = try #require(document["methods"]?.arrayValue)
        #expect(methods.compactMap { $0["name"]?.stringValue } == ControlMethods.all.map(\.name))
        for (entry, method) in zip(methods, ControlMethods.all) {
            let params = try #require(entry["params"]?.arrayValue)
            #expect(params.compactMap { $0["name"]?.stringValue } == method.params.map(\.name))
            for (descriptor, property) in zip(params, method.params) {
                #expect(descriptor["required"]?.boolValue == property.isRequired)
                #expect(descriptor["schema"] == property.schema.jsonSchema)
            }
            #expect(entry["result"]?["schema"] == method.result.jsonSchema)
            #expect(entry["result"]?["name"]?.stringValue == method.resultName)
        }
    }

    @Test func schemasCarryTheirConstraints() throws {
        let methods = try #require(document["methods"]?.arrayValue)
        let history = try #require(methods.first { $0["name"] == "history.list" })
        let limit = try #require(history["params"]?.arrayValue?.first { $0["name"] == "limit" })
        #expect(limit["schema"] == ["type": "integer", "minimum": 1, "description": "at most this many"])
        let since = try #require(history["params"]?.arrayValue?.first { $0["name"] == "since" })
        #expect(since["schema"]?["format"] == "date-time")
        let get = try #require(methods.first { $0["name"] == "calls.get" })
        #expect(get["errors"] == [["code": -32005, "message": "call_not_found", "data": ["code": "call_not_found"]]])
        let end = try #require(methods.first { $0["name"] == "calls.end" })
        #expect(end["x-mutating"] == true)
    }
}
