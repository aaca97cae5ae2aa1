import DialtoneControl
import DialtoneJSON
import Foundation
import Logging
import Testing

/// Every method through the real socket, and what it asked of the backend.
@Suite(.timeLimit(.minutes(1))) struct ControlServerMethodTests {
    private func result(_ client: TestClient, _ method: String, _ params: String? = nil) async throws -> JSON {
        let paramsMember = params.map { #","params":\#($0)"# } ?? ""
        let reply = try await client.call(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"\#(paramsMember)}"#)
        return try #require(reply["result"], "\(method): \(reply)")
    }

    @Test func readMethods() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                #expect(try await result(client, "status") == backend.status())
                #expect(try await result(client, "calls.list")["calls"]?.arrayValue?.count == 2)
                let ringing = try await result(client, "calls.list", #"{"state":"ringing"}"#)
                #expect(
                    ringing["calls"]?.arrayValue?.compactMap { $0["callId"]?.stringValue } == [
                        "call_1700000000001_bbbb"
                    ])
                #expect(
                    try await result(client, "calls.get", #"{"callId":"call_1700000000000_aaaa"}"#)["state"] == "active"
                )
                #expect(try await result(client, "calls.get", #"["call_1690000000000_old"]"#)["status"] == "ended")
                #expect(
                    try await result(client, "users.list")["users"]?.arrayValue?.compactMap {
                        $0["userId"]?.stringValue
                    } == ["alice", "bob"])
                let history = try await result(
                    client, "history.list",
                    #"{"userId":"alice","since":"2023-01-01T00:00:00Z","until":"2024-01-01T00:00:00.5+01:00","limit":10}"#
                )
                #expect(history["calls"]?.arrayValue?.count == 1)
                let stats = try await result(client, "history.stats", #"{"since":"2023-01-01T00:00:00Z"}"#)
                #expect(stats["calls"] == 1)
            }
        }
        let query = try #require(backend.state.withLock { $0.historyQueries.first })
        #expect(query.userId == "alice")
        #expect(query.limit == 10)
        #expect(query.since == Date(timeIntervalSince1970: 1_672_531_200))
        #expect(query.until == Date(timeIntervalSince1970: 1_704_063_600.5))
    }

    @Test func mutatingMethods() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                let ended = try await result(
                    client, "calls.end", #"{"callId":"call_1700000000000","reason":"maintenance"}"#)
                #expect(ended == ["callId": "call_1700000000000_aaaa", "endReason": "admin", "duration": 7])
                #expect(try await result(client, "users.disconnect", #"{"userId":"bob"}"#)["devices"] == 1)
                let notified = try await result(
                    client, "users.notify", #"{"userId":"alice","event":"announce","data":{"text":"hi","n":1.50}}"#)
                #expect(notified["delivered"] == 2)
                #expect(try await result(client, "history.save")["saved"] == true)
                #expect(
                    try await result(client, "log.setLevel", #"{"level":"debug"}"#) == [
                        "level": "debug", "previous": "info",
                    ])
                #expect(try await result(client, "config.reload") == ["reloaded": true, "changed": ["ring-timeout"]])
            }
        }
        backend.state.withLock { state in
            #expect(state.ended.map(\.id) == ["call_1700000000000_aaaa"])
            #expect(state.ended.map(\.note) == ["maintenance"])
            #expect(state.disconnected == ["bob"])
            #expect(state.notified.map(\.event) == ["announce"])
            // The payload reaches the backend exactly as sent, number text included.
            #expect(state.notified.first?.data.serialized() == #"{"text":"hi","n":1.50}"#)
            #expect(state.saves == 1)
            #expect(state.level == .debug)
        }
    }

    @Test func discoverDescribesTheTableItDispatches() async throws {
        try await withControlServer { path in
            try await TestClient.with(path) { client in
                let document = try await result(client, "rpc.discover")
                #expect(document["openrpc"] == "1.3.2")
                #expect(document["info"]?["version"] == "1.2.3-test")
                let names = document["methods"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                #expect(names == ControlMethods.all.map(\.name))
                // Every published method answers (not -32601), which is what makes the document true.
                for name in names {
                    let reply = try await client.call(
                        #"{"jsonrpc":"2.0","id":1,"method":"\#(name)","params":{"__probe":1}}"#)
                    #expect(reply["error"]?["code"] == -32602, "\(name)")
                }
            }
        }
    }

    @Test func mutatingCallsAreLoggedWithThePeerCredentials() async throws {
        let capture = LogCapture()
        try await withControlServer(logger: capture.logger) { path in
            try await TestClient.with(path) { client in
                _ = try await client.call(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#)
                _ = try await client.call(
                    #"{"jsonrpc":"2.0","id":2,"method":"users.disconnect","params":{"userId":"bob"}}"#)
                _ = try await client.call(
                    #"{"jsonrpc":"2.0","id":3,"method":"calls.end","params":{"callId":"missing"}}"#)
            }
        }
        let audits = capture.logged.filter { $0.metadata["dialtone.control.method"] != nil }
        #expect(
            audits.map { $0.metadata["dialtone.control.method"]?.description } == ["users.disconnect", "calls.end"])
        #expect(audits.map { $0.metadata["dialtone.control.outcome"]?.description } == ["ok", "call_not_found"])
        for entry in audits {
            #expect(entry.level == .notice)
            #expect(entry.metadata["dialtone.peer.pid"]?.description == String(getpid()))
            #expect(entry.metadata["dialtone.peer.uid"]?.description == String(getuid()))
            #expect(entry.metadata["dialtone.peer.gid"]?.description == String(getgid()))
        }
    }
}
