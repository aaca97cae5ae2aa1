import DialtoneJSON
import Testing

@testable import DialtoneControl

/// JSON-RPC 2.0 over the real socket: every error case, ids, batches, notifications.
@Suite(.timeLimit(.minutes(1))) struct ControlServerProtocolTests {
    @Test func answersARequestEchoingItsId() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                let reply = try await client.call(#"{"jsonrpc":"2.0","id":7,"method":"status"}"#)
                #expect(reply["jsonrpc"] == "2.0")
                #expect(reply["id"] == 7)
                #expect(reply["result"]?["connectedUsers"] == 2)
                #expect(reply["error"] == nil)
                // The id comes back exactly as written, whatever its type.
                try await client.sendLine(#"{"jsonrpc":"2.0","id":"abc","method":"status"}"#)
                #expect(try await client.readLine()?.hasPrefix(#"{"jsonrpc":"2.0","id":"abc","result":"#) == true)
                try await client.sendLine(#"{"jsonrpc":"2.0","id":1.50,"method":"status"}"#)
                #expect(try await client.readLine()?.hasPrefix(#"{"jsonrpc":"2.0","id":1.50,"result":"#) == true)
                try await client.sendLine(#"{"jsonrpc":"2.0","id":null,"method":"status"}"#)
                #expect(try await client.readLine()?.hasPrefix(#"{"jsonrpc":"2.0","id":null,"result":"#) == true)
            }
        }
    }

    @Test func parseErrorHasANullId() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                for text in [#"{"jsonrpc":"2.0","id":1,"method":"status""#, "nonsense", #"{"a":1,}"#, "\u{FF}"] {
                    let reply = try await client.call(text)
                    #expect(reply["id"] == .null)
                    #expect(reply["error"]?["code"] == -32700)
                }
            }
        }
    }

    @Test func invalidRequests() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                let cases: [(String, JSON)] = [
                    ("1", .null),
                    (#""status""#, .null),
                    (#"{"jsonrpc":"1.0","id":3,"method":"status"}"#, 3),
                    (#"{"id":4,"method":"status"}"#, 4),
                    (#"{"jsonrpc":"2.0","id":5,"method":5}"#, 5),
                    (#"{"jsonrpc":"2.0","id":6,"method":"status","params":"x"}"#, 6),
                    (#"{"jsonrpc":"2.0","id":7,"method":"status","params":null}"#, 7),
                    (#"{"jsonrpc":"2.0","id":{"a":1},"method":"status"}"#, .null),
                    (#"{"jsonrpc":"2.0","id":8}"#, 8),
                    ("[]", .null),
                ]
                for (text, id) in cases {
                    let reply = try await client.call(text)
                    #expect(reply["error"]?["code"] == -32600, "\(text)")
                    #expect(reply["id"] == id, "\(text)")
                }
            }
        }
    }

    @Test func methodNotFoundAndInvalidParams() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                let unknown = try await client.call(#"{"jsonrpc":"2.0","id":1,"method":"calls.explode"}"#)
                #expect(unknown["error"]?["code"] == -32601)
                #expect(unknown["error"]?["message"]?.stringValue?.contains("calls.explode") == true)
                let missing = try await client.call(#"{"jsonrpc":"2.0","id":2,"method":"calls.get","params":{}}"#)
                #expect(missing["error"]?["code"] == -32602)
                #expect(missing["error"]?["message"]?.stringValue?.contains("params.callId is required") == true)
                let wrongType = try await client.call(
                    #"{"jsonrpc":"2.0","id":3,"method":"history.list","params":{"limit":"ten"}}"#)
                #expect(wrongType["error"]?["code"] == -32602)
                let tooMany = try await client.call(
                    #"{"jsonrpc":"2.0","id":4,"method":"calls.get","params":["a","b"]}"#)
                #expect(tooMany["error"]?["code"] == -32602)
            }
        }
    }

    @Test func applicationAndInternalErrors() async throws {
        let backend = TestBackend()
        backend.state.withLock { $0.saveFails = true }
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                let notFound = try await client.call(
                    #"{"jsonrpc":"2.0","id":1,"method":"calls.get","params":{"callId":"nope"}}"#)
                #expect(notFound["error"]?["code"] == -32005)
                #expect(notFound["error"]?["data"] == ["code": "call_not_found", "callId": "nope"])
                let offline = try await client.call(
                    #"{"jsonrpc":"2.0","id":2,"method":"users.disconnect","params":{"userId":"zed"}}"#)
                #expect(offline["error"]?["code"] == -32003)
                #expect(offline["error"]?["data"]?["code"] == "user_offline")
                let ambiguous = try await client.call(
                    #"{"jsonrpc":"2.0","id":3,"method":"calls.end","params":{"callId":"call_"}}"#)
                #expect(ambiguous["error"]?["code"] == -32000)
                #expect(ambiguous["error"]?["data"]?["code"] == "bad_request")
                #expect(ambiguous["error"]?["data"]?["matches"]?.arrayValue?.count == 2)
                let failed = try await client.call(#"{"jsonrpc":"2.0","id":4,"method":"history.save"}"#)
                #expect(failed["error"]?["code"] == -32603)
                #expect(failed["error"]?["data"]?["code"] == "internal")
            }
        }
    }

    @Test func notificationsRunButGetNoAnswer() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                try await client.sendLine(
                    #"{"jsonrpc":"2.0","method":"calls.end","params":{"callId":"call_1700000000001"}}"#)
                try await client.sendLine(#"{"jsonrpc":"2.0","method":"no.such.method"}"#)
                try await client.sendLine(#"{"jsonrpc":"2.0","method":"calls.get","params":{}}"#)
                let reply = try await client.call(#"{"jsonrpc":"2.0","id":"after","method":"calls.list"}"#)
                // The first line back answers the request: the notifications got nothing.
                #expect(reply["id"] == "after")
                #expect(reply["result"]?["calls"]?.arrayValue?.count == 1)
            }
        }
        #expect(backend.state.withLock { $0.ended.map(\.id) } == ["call_1700000000001_bbbb"])
    }

    @Test func batchesAnswerRequestsAndInvalidMembersInOrder() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                let reply = try await client.call(
                    """
                    [{"jsonrpc":"2.0","id":1,"method":"users.list"},\
                    {"jsonrpc":"2.0","method":"log.setLevel","params":{"level":"debug"}},\
                    1,\
                    {"jsonrpc":"2.0","id":2,"method":"nope"},\
                    {"jsonrpc":"2.0","id":3,"method":"log.setLevel","params":["trace"]}]
                    """)
                let responses = try #require(reply.arrayValue)
                #expect(responses.map { $0["id"] } == [1, .null, 2, 3])
                #expect(responses[0]["result"]?["users"]?.arrayValue?.count == 2)
                #expect(responses[1]["error"]?["code"] == -32600)
                #expect(responses[2]["error"]?["code"] == -32601)
                #expect(responses[3]["result"] == ["level": "trace", "previous": "debug"])
            }
        }
    }

    @Test func aBatchOfNotificationsGetsNothing() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                try await client.sendLine(
                    #"[{"jsonrpc":"2.0","method":"status"},{"jsonrpc":"2.0","method":"users.list"}]"#)
                let reply = try await client.call(#"{"jsonrpc":"2.0","id":9,"method":"status"}"#)
                #expect(reply["id"] == 9)
            }
        }
    }

    @Test func blankLinesAreIgnoredAndLongLinesRefused() async throws {
        try await withControlServer(configure: { $0.maxLineBytes = 256 }) { path in
            try await TestClient.with(path) { client in
                try await client.send("\n  \r\n")
                let long =
                    #"{"jsonrpc":"2.0","id":1,"method":"users.notify","params":{"userId":"alice","event":"x","data":""#
                    + String(repeating: "a", count: 1000) + #""}}"#
                let refused = try await client.call(long)
                #expect(refused["id"] == .null)
                #expect(refused["error"]?["code"] == -32600)
                #expect(refused["error"]?["data"] == ["code": "payload_too_large", "limit": 256])
                let after = try await client.call(#"{"jsonrpc":"2.0","id":2,"method":"status"}"#)
                #expect(after["id"] == 2)
            }
        }
    }

    @Test func answersARequestSentBeforeTheClientShutsItsSide() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                // As `echo … | socat - UNIX-CONNECT:…` does: send, shut the sending side, read.
                try await client.send(
                    #"{"jsonrpc":"2.0","id":1,"method":"status"}"# + "\n"
                        + #"{"jsonrpc":"2.0","id":2,"method":"users.list"}"#)
                client.finishSending()
                let lines = try await client.readToEnd()
                #expect(lines.count == 2)
                #expect(try lines.map { try JSON(parsing: $0)["id"] } == [1, 2])
            }
        }
    }

    @Test func manyClientsAtOnce() async throws {
        try await withControlServer { path in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for clientNumber in 0..<40 {
                    group.addTask {
                        try await TestClient.with(path) { client in
                            for request in 0..<25 {
                                let id = clientNumber * 1000 + request
                                let reply = try await client.call(
                                    #"{"jsonrpc":"2.0","id":\#(id),"method":"calls.list"}"#)
                                #expect(reply["id"] == .number(JSONNumber(id)))
                                #expect(reply["result"]?["calls"]?.arrayValue?.count == 2)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
