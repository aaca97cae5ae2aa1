import DialtoneJSON
import Testing

@testable import DialtoneControl

@Suite struct ControlMethodParamsTests {
    private func method(_ name: String) throws -> ControlMethod {
        try #require(ControlMethods.byName[name])
    }

    private func failure(_ name: String, _ params: JSON?) throws -> String? {
        switch try method(name).namedParams(params) {
        case .success: nil
        case .failure(let error): error.message
        }
    }

    @Test func acceptsNamedAndPositionalParams() throws {
        let named = try method("history.list").namedParams(["userId": "alice", "limit": 5])
        #expect(try named.get() == ["userId": "alice", "limit": 5])
        let positional = try method("users.notify").namedParams(["bob", "hello", ["x": 1]])
        #expect(try positional.get() == ["userId": "bob", "event": "hello", "data": ["x": 1]])
        #expect(try method("status").namedParams(nil).get() == [:])
        #expect(try method("status").namedParams([:]).get() == [:])
        #expect(try method("status").namedParams([]).get() == [:])
    }

    @Test func rejectsWhatTheSchemaDoesNotAllow() throws {
        #expect(try failure("calls.get", [:]) == "params.callId is required")
        #expect(try failure("calls.get", ["callId": 5]) == "params.callId must be a string")
        #expect(
            try failure("calls.get", ["callId": "x", "extra": true])?.contains("params.extra is not a known member")
                == true)
        #expect(try failure("calls.list", ["state": "ended"]) == "params.state must be one of ringing, active")
        #expect(try failure("history.list", ["limit": 0]) == "params.limit must be at least 1")
        #expect(try failure("history.list", ["limit": 1.5]) == "params.limit must be an integer")
        #expect(try failure("history.list", ["since": "yesterday"])?.contains("ISO-8601") == true)
        #expect(try failure("status", ["verbose": true]) == "status takes no params")
        #expect(try failure("calls.get", ["a", "b"]) == "calls.get takes at most 1 positional params")
        #expect(try failure("events.subscribe", ["types": []]) == "params.types must have at least 1 element(s)")
        #expect(
            try failure("events.subscribe", ["types": ["call.exploded"]])?.hasPrefix("params.types[0] must be one of")
                == true)
        #expect(try failure("log.setLevel", ["level": "loud"])?.hasPrefix("params.level must be one of") == true)
        #expect(
            try failure("calls.get", JSON(parsing: #"{"callId":"x","callId":"y"}"#)) == "params.callId is given twice")
        #expect(
            try failure("calls.end", ["callId": "x", "reason": .string(String(repeating: "r", count: 201))])
                == "params.reason must be at most 200 characters")
    }

    @Test func acceptsValidDatesAndIntegralNumbers() throws {
        #expect(
            try failure("history.list", ["since": "2024-05-01T12:00:00Z", "until": "2024-05-02T12:00:00.250+02:00"])
                == nil)
        #expect(try failure("history.list", ["limit": .number(JSONNumber(text: "1e2")!)]) == nil)
        #expect(try failure("history.list", ["limit": .number(JSONNumber(text: "10.0")!)]) == nil)
        #expect(try failure("events.subscribe", ["types": ["call", "user.online"]]) == nil)
    }

    @Test func methodNamesAreUniqueAndCoverTheContract() {
        let names = ControlMethods.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(
            Set(names) == [
                "status", "calls.list", "calls.get", "calls.end", "users.list", "users.disconnect", "users.notify",
                "history.list", "history.stats", "history.save", "events.subscribe", "events.unsubscribe",
                "log.setLevel", "config.reload", "rpc.discover",
            ])
    }
}
