import DialtoneControl
import DialtoneJSON
import Testing

/// The methods that answer from the history wait for it (a daemon may still be reading its file);
/// the others do not.
@Suite(.timeLimit(.minutes(1))) struct ControlHistoryLoadedTests {
    @Test(arguments: [
        ("status", nil, 1), ("calls.get", #"{"callId":"call_1690000000000_old"}"#, 1), ("history.list", nil, 1),
        ("history.stats", nil, 1), ("calls.list", nil, 0), ("users.list", nil, 0),
    ] as [(String, String?, Int)])
    func methodsThatAnswerFromTheHistoryWaitForIt(method: String, params: String?, waits: Int) async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                let paramsMember = params.map { #","params":\#($0)"# } ?? ""
                let reply = try await client.call(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)"\#(paramsMember)}"#)
                #expect(reply["result"] != nil, "\(reply)")
            }
        }
        #expect(backend.state.withLock { $0.historyWaits } == waits)
    }
}
