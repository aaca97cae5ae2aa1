import DialtoneJSON
import DialtoneProtocol
import Testing

@Suite struct JSONRPCMessageTests {
    private struct UnexpectedShape: Error {
        var text: String
    }

    private func single(_ text: String) throws -> JSONRPCMessage {
        guard case .single(let message) = JSONRPCIncoming(parsing: text) else {
            throw UnexpectedShape(text: text)
        }
        return message
    }

    private func invalid(_ text: String) throws -> (id: JSONRPCID, error: JSONRPCError) {
        guard case .invalid(let id, let error) = try single(text) else {
            throw UnexpectedShape(text: text)
        }
        return (id, error)
    }

    @Test func classifiesARequestByName() throws {
        let message = try single(
            #"{"jsonrpc":"2.0","method":"call","params":{"to":"bob"},"id":"a1"}"#)
        #expect(
            message
                == .request(
                    JSONRPCRequest(
                        id: .string("a1"), method: "call", params: .object(["to": "bob"]))))
    }

    @Test func classifiesARequestByPositionAndWithoutParams() throws {
        #expect(
            try single(#"{"jsonrpc":"2.0","method":"sum","params":[1,2],"id":7}"#)
                == .request(
                    JSONRPCRequest(
                        id: .number(JSONNumber(7)), method: "sum", params: .array([1, 2]))))
        #expect(
            try single(#"{"id":7,"method":"status","jsonrpc":"2.0"}"#)
                == .request(JSONRPCRequest(id: .number(JSONNumber(7)), method: "status")))
    }

    @Test func keepsNumberIdsAsWritten() throws {
        for text in ["1.50", "12345678901234567890123", "-0", "1e3"] {
            let message = try single(#"{"jsonrpc":"2.0","method":"m","id":\#(text)}"#)
            guard case .request(let request) = message, case .number(let number)? = request.id
            else {
                Issue.record("not a request with a number id: \(message)")
                continue
            }
            #expect(number.text == text)
        }
    }

    @Test func aNullIdIsARequestAndAMissingIdANotification() throws {
        guard case .request(let withNull) = try single(#"{"jsonrpc":"2.0","method":"m","id":null}"#)
        else {
            Issue.record("null id not a request")
            return
        }
        #expect(withNull.id == .null)
        #expect(!withNull.isNotification)
        guard
            case .request(let notification) = try single(
                #"{"jsonrpc":"2.0","method":"m","params":[]}"#)
        else {
            Issue.record("notification not classified")
            return
        }
        #expect(notification.isNotification)
        #expect(notification.params == .array([]))
    }

    @Test(arguments: [
        ("1", JSONRPCID.null),
        (#""text""#, .null),
        ("null", .null),
        (#"{"jsonrpc":"1.0","method":"m","id":1}"#, .number(JSONNumber(1))),
        (#"{"method":"m","id":"x"}"#, .string("x")),
        (#"{"jsonrpc":2.0,"method":"m","id":"x"}"#, .string("x")),
        (#"{"jsonrpc":"2.0","method":1,"params":"bar"}"#, .null),
        (#"{"jsonrpc":"2.0","method":"m","params":"bar","id":3}"#, .number(JSONNumber(3))),
        (#"{"jsonrpc":"2.0","method":"m","params":5,"id":3}"#, .number(JSONNumber(3))),
        (#"{"jsonrpc":"2.0","method":"m","params":null,"id":3}"#, .number(JSONNumber(3))),
        (#"{"jsonrpc":"2.0","method":"m","id":true}"#, .null),
        (#"{"jsonrpc":"2.0","method":"m","id":{"a":1}}"#, .null),
        (#"{"jsonrpc":"2.0","method":"m","id":[1]}"#, .null),
        (#"{"jsonrpc":"2.0","id":4}"#, .number(JSONNumber(4))),
        (#"{"foo":"boo"}"#, .null),
        (#"{"jsonrpc":"2.0","result":1}"#, .null),
        (
            #"{"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"m"},"id":1}"#,
            .number(JSONNumber(1))
        ),
        (#"{"jsonrpc":"2.0","error":{"message":"m"},"id":1}"#, .number(JSONNumber(1))),
        (#"{"jsonrpc":"2.0","error":{"code":1.5,"message":"m"},"id":1}"#, .number(JSONNumber(1))),
        (#"{"jsonrpc":"2.0","error":{"code":1},"id":1}"#, .number(JSONNumber(1))),
        (#"{"jsonrpc":"2.0","error":"oops","id":1}"#, .number(JSONNumber(1))),
    ])
    func rejectsInvalidRequests(_ text: String, _ expectedID: JSONRPCID) throws {
        let (id, error) = try invalid(text)
        #expect(error.code == -32600, "\(text)")
        #expect(error.message.hasPrefix("Invalid Request: "), "\(text)")
        #expect(id == expectedID, "\(text)")
    }

    @Test func anEmptyBatchIsOneInvalidRequest() throws {
        let (id, error) = try invalid("[]")
        #expect(id == .null)
        #expect(error.code == -32600)
    }

    @Test func textThatIsNotJSONIsAParseError() throws {
        for text in [
            #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#,
            #"[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method"]"#,
            "", "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} x",
        ] {
            let (id, error) = try invalid(text)
            #expect(id == .null)
            #expect(error.code == -32700, "\(text)")
            #expect(error.message.hasPrefix("Parse error: "), "\(text)")
        }
    }

    @Test func aBatchClassifiesEachMember() {
        let incoming = JSONRPCIncoming(
            parsing:
                #"[1,{"jsonrpc":"2.0","method":"m"},[],{"jsonrpc":"2.0","result":true,"id":2}]"#)
        guard case .batch(let messages) = incoming else {
            Issue.record("not a batch: \(incoming)")
            return
        }
        #expect(messages.count == 4)
        #expect(
            messages[0]
                == .invalid(id: .null, error: .invalidRequest("a message must be an object")))
        #expect(messages[1] == .request(.notification("m")))
        #expect(
            messages[2]
                == .invalid(id: .null, error: .invalidRequest("a message must be an object")))
        #expect(messages[3] == .response(JSONRPCResponse(id: .number(JSONNumber(2)), result: true)))
        #expect(incoming.messages == messages)
    }

    @Test func classifiesResponsesForClients() throws {
        #expect(
            try single(#"{"jsonrpc":"2.0","result":{"ok":true},"id":"1"}"#)
                == .response(JSONRPCResponse(id: .string("1"), result: ["ok": true])))
        let failure = try single(
            #"{"jsonrpc":"2.0","error":{"code":-32000,"message":"Busy","data":{"code":"busy"}},"id":null}"#
        )
        guard case .response(let response) = failure, case .failure(let error) = response.outcome
        else {
            Issue.record("not an error response: \(failure)")
            return
        }
        #expect(response.id == .null)
        #expect(error == .application(code: "busy", message: "Busy"))
        #expect(error.applicationCode == "busy")
    }

    @Test func parsesEveryInputForm() throws {
        let text = #"{"jsonrpc":"2.0","method":"m","id":1}"#
        let expected = JSONRPCIncoming(parsing: text)
        #expect(JSONRPCIncoming(parsing: Array(text.utf8)) == expected)
        #expect(JSONRPCIncoming(parsing: Array(("  " + text).utf8)[2...]) == expected)
        #expect(Array(text.utf8).withUnsafeBytes { JSONRPCIncoming(parsing: $0) } == expected)
        #expect(JSONRPCIncoming(try JSON(parsing: text)) == expected)
    }

    @Test func honoursTheDepthLimit() {
        let text = #"{"jsonrpc":"2.0","method":"m","params":[[[1]]],"id":1}"#
        guard
            case .single(.invalid(let id, let error)) = JSONRPCIncoming(parsing: text, maxDepth: 3)
        else {
            Issue.record("nesting beyond the limit was accepted")
            return
        }
        #expect(id == .null)
        #expect(error.code == -32700)
        #expect(error.message.contains("nesting too deep"))
        guard case .single(.request) = JSONRPCIncoming(parsing: text, maxDepth: 4) else {
            Issue.record("nesting within the limit was rejected")
            return
        }
    }
}
