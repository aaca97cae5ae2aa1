import DialtoneJSON
import Testing

/// A 100,000-call history (26 MB on one line) while another client keeps asking. Debug builds
/// serialise and parse that slowly, hence the longer limit.
@Suite(.timeLimit(.minutes(3))) struct ControlServerLargeAnswerTests {
    @Test func aLargeAnswerArrivesWholeWhileOthersAreServed() async throws {
        let backend = TestBackend()
        backend.state.withLock { state in
            state.history = (0..<100_000).map { index in
                TestBackend.record(
                    "call_\(1_600_000_000_000 + index)_\(index)", from: "u\(index % 97)", to: "v\(index % 89)",
                    duration: index % 600)
            }
        }
        try await withControlServer(backend: backend) { path in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await TestClient.with(path) { client in
                        let reply = try await client.call(#"{"jsonrpc":"2.0","id":"big","method":"history.list"}"#)
                        let calls = try #require(reply["result"]?["calls"]?.arrayValue)
                        #expect(calls.count == 100_000)
                        #expect(calls.first?["callId"] == "call_1600000099999_99999")
                        #expect(calls.last?["callId"] == "call_1600000000000_0")
                    }
                }
                group.addTask {
                    try await TestClient.with(path) { client in
                        for id in 0..<50 {
                            let reply = try await client.call(#"{"jsonrpc":"2.0","id":\#(id),"method":"status"}"#)
                            #expect(reply["id"] == .number(JSONNumber(id)))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
