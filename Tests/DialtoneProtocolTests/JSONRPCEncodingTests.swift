import DialtoneJSON
import DialtoneProtocol
import Testing

@Suite struct JSONRPCEncodingTests {
    @Test func writesASuccessResponse() {
        let response = JSONRPCResponse(
            id: .number(JSONNumber(1)), result: ["ok": true, "callId": "call_1"])
        #expect(
            response.serialized()
                == #"{"jsonrpc":"2.0","id":1,"result":{"ok":true,"callId":"call_1"}}"#)
    }

    @Test func echoesIdsVerbatim() throws {
        for id in ["1.50", "12345678901234567890123", #""a\"b""#, "null", "-0"] {
            let request = JSONRPCIncoming(parsing: #"{"jsonrpc":"2.0","method":"m","id":\#(id)}"#)
            guard case .single(.request(let parsed)) = request, let parsedID = parsed.id else {
                Issue.record("not a request: \(request)")
                continue
            }
            #expect(
                JSONRPCResponse(id: parsedID, result: nil).serialized()
                    == #"{"jsonrpc":"2.0","id":\#(id),"result":null}"#)
        }
    }

    @Test func writesStandardErrors() {
        let cases: [(JSONRPCError, String)] = [
            (.parseError("x"), #"{"code":-32700,"message":"Parse error: x"}"#),
            (.invalidRequest("x"), #"{"code":-32600,"message":"Invalid Request: x"}"#),
            (
                .methodNotFound("calls.nope"),
                #"{"code":-32601,"message":"Method not found: calls.nope"}"#
            ),
            (
                .invalidParams("callId is required"),
                #"{"code":-32602,"message":"Invalid params: callId is required"}"#
            ),
            (.internalError(), #"{"code":-32603,"message":"Internal error: internal error"}"#),
        ]
        for (error, text) in cases {
            #expect(
                JSONRPCResponse(id: .null, error: error).serialized()
                    == #"{"jsonrpc":"2.0","id":null,"error":\#(text)}"#)
        }
    }

    @Test func writesApplicationErrorsWithTheirContractCode() {
        let busy = JSONRPCError.application(code: "busy", message: "bob is in another call")
        #expect(busy.code == -32000)
        #expect(busy.applicationCode == "busy")
        #expect(
            JSONRPCResponse(id: .string("7"), error: busy).serialized()
                == #"{"jsonrpc":"2.0","id":"7","error":{"code":-32000,"message":"bob is in another call","data":{"code":"busy"}}}"#
        )
        #expect(
            JSONRPCError.application(code: "call_not_found", message: "m", number: -32004).code
                == -32004)
        #expect(JSONRPCError.methodNotFound("m").applicationCode == nil)
    }

    @Test func writesNotificationsAndRequests() {
        let payload: JSONObject = [
            "callId": "call_1", "candidate": ["candidate": "", "sdpMid": "0"],
        ]
        #expect(
            JSONRPCRequest.notification("ice_candidate", params: .object(payload)).serialized()
                == #"{"jsonrpc":"2.0","method":"ice_candidate","params":{"callId":"call_1","candidate":{"candidate":"","sdpMid":"0"}}}"#
        )
        #expect(
            JSONRPCRequest.notification("ping").serialized()
                == #"{"jsonrpc":"2.0","method":"ping"}"#)
        #expect(
            JSONRPCRequest(
                id: .number(JSONNumber(3)), method: "calls.end", params: .object(["callId": "c"])
            ).serialized()
                == #"{"jsonrpc":"2.0","id":3,"method":"calls.end","params":{"callId":"c"}}"#)
        #expect(
            JSONRPCRequest(id: .string("q\n"), method: "sum", params: .array([1, 2])).serialized()
                == #"{"jsonrpc":"2.0","id":"q\n","method":"sum","params":[1,2]}"#)
    }

    @Test func writtenMessagesParseBackToThemselves() {
        let messages: [JSONRPCMessage] = [
            .request(JSONRPCRequest(id: .string("1"), method: "m", params: .array([1.5, "x"]))),
            .request(
                .notification(
                    "event", params: .object(["type": "call", "time": "2024-01-01T00:00:00Z"]))),
            .response(JSONRPCResponse(id: .number(JSONNumber(9)), result: [1, 2])),
            .response(
                JSONRPCResponse(id: .null, error: .application(code: "internal", message: "m"))),
        ]
        for message in messages {
            let text: String
            switch message {
            case .request(let request): text = request.serialized()
            case .response(let response): text = response.serialized()
            case .invalid: continue
            }
            #expect(JSONRPCIncoming(parsing: text) == .single(message), "\(text)")
        }
    }

    @Test func writesBatchRepliesAsArrays() {
        let reply = JSONRPCBatchReply.batch([
            JSONRPCResponse(id: .string("1"), result: 7),
            JSONRPCResponse(id: .null, error: .invalidRequest("x")),
        ])
        #expect(
            reply.serialized()
                == #"[{"jsonrpc":"2.0","id":"1","result":7},{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: x"}}]"#
        )
        #expect(
            JSONRPCBatchReply.single(JSONRPCResponse(id: .string("1"), result: 7)).serialized()
                == #"{"jsonrpc":"2.0","id":"1","result":7}"#)
    }

    @Test func appendsToAnyByteCollection() {
        var bytes: [UInt8] = Array("> ".utf8)
        JSONRPCRequest.notification("x").write(into: &bytes)
        #expect(bytes == Array(#"> {"jsonrpc":"2.0","method":"x"}"#.utf8))
        var slice = ArraySlice<UInt8>()
        JSONRPCResponse(id: .null, result: true).write(into: &slice)
        #expect(Array(slice) == Array(#"{"jsonrpc":"2.0","id":null,"result":true}"#.utf8))
    }
}
