import DialtoneJSON
import DialtoneProtocol
import Testing

/// The dispatcher of the examples in the JSON-RPC 2.0 specification, recording what it was asked.
private actor ExampleServer {
    private(set) var calls: [String] = []

    func reply(to text: String) async -> String? {
        JSONRPCBatchReply.assemble(for: JSONRPCIncoming(parsing: text)) {
            request throws(JSONRPCError) in
            calls.append(request.method)
            return try handle(request)
        }?.serialized()
    }

    private func handle(_ request: JSONRPCRequest) throws(JSONRPCError) -> JSON {
        switch request.method {
        case "sum", "subtract":
            guard case .array(let operands)? = request.params else {
                throw .invalidParams("expected an array of integers")
            }
            let numbers = operands.compactMap(\.intValue)
            guard numbers.count == operands.count, let first = numbers.first else {
                throw .invalidParams("expected an array of integers")
            }
            let total =
                request.method == "sum"
                ? numbers.reduce(0, +) : numbers.dropFirst().reduce(first, -)
            return .number(JSONNumber(total))
        case "update", "notify_hello", "notify_sum":
            return nil
        case "get_data":
            return ["hello", 5]
        case "fail":
            throw .application(code: "busy", message: "busy")
        default:
            throw .methodNotFound(request.method)
        }
    }
}

@Suite struct JSONRPCBatchReplyTests {
    @Test func answersASingleRequest() async {
        let server = ExampleServer()
        #expect(
            await server.reply(
                to: #"{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}"#)
                == #"{"jsonrpc":"2.0","id":1,"result":19}"#)
        #expect(await server.calls == ["subtract"])
    }

    @Test func runsButDoesNotAnswerANotification() async {
        let server = ExampleServer()
        #expect(
            await server.reply(
                to: #"{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}"#) == nil)
        #expect(await server.reply(to: #"{"jsonrpc": "2.0", "method": "nope"}"#) == nil)
        #expect(await server.calls == ["update", "nope"])
    }

    @Test func answersHandlerErrors() async {
        let server = ExampleServer()
        #expect(
            await server.reply(to: #"{"jsonrpc": "2.0", "method": "foobar", "id": "1"}"#)
                == #"{"jsonrpc":"2.0","id":"1","error":{"code":-32601,"message":"Method not found: foobar"}}"#
        )
        #expect(
            await server.reply(
                to: #"{"jsonrpc": "2.0", "method": "sum", "params": {"a": 1}, "id": 2}"#)
                == #"{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: expected an array of integers"}}"#
        )
        #expect(
            await server.reply(to: #"{"jsonrpc": "2.0", "method": "fail", "id": 3}"#)
                == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32000,"message":"busy","data":{"code":"busy"}}}"#
        )
    }

    @Test func answersParseErrorsAndInvalidRequestsWithoutCallingTheHandler() async {
        let server = ExampleServer()
        let parse = await server.reply(
            to: #"{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]"#)
        #expect(
            parse?.hasPrefix(
                #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: "#)
                == true)
        #expect(
            await server.reply(to: #"{"jsonrpc": "2.0", "method": 1, "params": "bar"}"#)
                == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: member \"method\" must be a string"}}"#
        )
        #expect(
            await server.reply(to: "[]")
                == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: empty batch"}}"#
        )
        #expect(await server.calls.isEmpty)
    }

    @Test func answersEachMemberOfAnInvalidBatch() async {
        let server = ExampleServer()
        let invalid =
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: a message must be an object"}}"#
        #expect(await server.reply(to: "[1]") == "[\(invalid)]")
        #expect(await server.reply(to: "[1,2,3]") == "[\(invalid),\(invalid),\(invalid)]")
    }

    @Test func answersTheSpecificationsMixedBatchInOrder() async {
        let server = ExampleServer()
        let reply = await server.reply(
            to: """
                [
                    {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
                    {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
                    {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
                    {"foo": "boo"},
                    {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
                    {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
                ]
                """)
        let expected = [
            #"{"jsonrpc":"2.0","id":"1","result":7}"#,
            #"{"jsonrpc":"2.0","id":"2","result":19}"#,
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: member \"jsonrpc\" must be \"2.0\""}}"#,
            #"{"jsonrpc":"2.0","id":"5","error":{"code":-32601,"message":"Method not found: foo.get"}}"#,
            #"{"jsonrpc":"2.0","id":"9","result":["hello",5]}"#,
        ]
        #expect(reply == "[" + expected.joined(separator: ",") + "]")
        #expect(await server.calls == ["sum", "notify_hello", "subtract", "foo.get", "get_data"])
    }

    @Test func sendsNothingForABatchOfNotificationsOrResponses() async {
        let server = ExampleServer()
        #expect(
            await server.reply(
                to:
                    #"[{"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},{"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}]"#
            )
                == nil)
        #expect(await server.reply(to: #"[{"jsonrpc":"2.0","result":1,"id":1}]"#) == nil)
        #expect(await server.reply(to: #"{"jsonrpc":"2.0","result":1,"id":1}"#) == nil)
        #expect(await server.calls == ["notify_sum", "notify_hello"])
    }

    @Test func worksWithoutAnActor() {
        let reply = JSONRPCBatchReply.assemble(
            for: JSONRPCIncoming(
                parsing: #"{"jsonrpc":"2.0","method":"echo","params":["x"],"id":0}"#)
        ) {
            request throws(JSONRPCError) in request.params?.json ?? nil
        }
        #expect(reply == .single(JSONRPCResponse(id: .number(JSONNumber(0)), result: ["x"])))
    }
}
