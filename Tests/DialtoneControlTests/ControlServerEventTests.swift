import DialtoneJSON
import Testing

/// `events.subscribe` over the real socket: ordering, filters, and slow subscribers.
@Suite(.timeLimit(.minutes(1))) struct ControlServerEventTests {
    private static let subscribe = #"{"jsonrpc":"2.0","id":"sub","method":"events.subscribe"}"#

    @Test func subscribersGetEventsAfterTheAnswerInOrder() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                let answer = try await client.call(Self.subscribe)
                #expect(answer["result"] == ["subscribed": true, "types": .null])
                backend.emit("call.ringing", ["callId": "c1", "from": "alice"])
                backend.emit("call.ended", ["callId": "c1", "reason": "hangup", "duration": 3])
                let first = try await client.readLine()
                #expect(
                    first
                        == #"{"jsonrpc":"2.0","method":"event","params":{"type":"call.ringing","time":"2023-11-14T22:13:20.000Z","callId":"c1","from":"alice"}}"#
                )
                let second = try await client.readJSON()
                #expect(second["params"]?["type"] == "call.ended")
                #expect(second["params"]?["duration"] == 3)
            }
        }
    }

    @Test func typeFiltersAndUnsubscribe() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                let answer = try await client.call(
                    #"{"jsonrpc":"2.0","id":1,"method":"events.subscribe","params":{"types":["call.ended","user"]}}"#)
                #expect(answer["result"] == ["subscribed": true, "types": ["call.ended", "user"]])
                backend.emit("call.ringing", ["n": 1])
                backend.emit("user.online", ["n": 2])
                backend.emit("participant.left", ["n": 3])
                backend.emit("call.ended", ["n": 4])
                #expect(try await client.readJSON()["params"]?["n"] == 2)
                #expect(try await client.readJSON()["params"]?["n"] == 4)
                let off = try await client.call(#"{"jsonrpc":"2.0","id":2,"method":"events.unsubscribe"}"#)
                #expect(off["result"] == ["subscribed": false])
                backend.emit("call.ended", ["n": 5])
                // The next line answers the request: no event came after unsubscribing.
                #expect(try await client.call(#"{"jsonrpc":"2.0","id":3,"method":"status"}"#)["id"] == 3)
            }
        }
    }

    @Test func aSubscriptionByNotificationAndAfterShuttingTheSendingSide() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            try await TestClient.with(path) { client in
                try await client.sendLine(#"{"jsonrpc":"2.0","method":"events.subscribe"}"#)
                client.finishSending()
                // Nothing answers a notification, so keep publishing until the subscription shows.
                let publisher = Task {
                    while !Task.isCancelled {
                        backend.emit("user.online")
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                let first = try await client.readJSON()
                publisher.cancel()
                #expect(first["params"]?["type"] == "user.online")
                backend.emit("user.offline")
                var next = try await client.readJSON()
                while next["params"]?["type"] == "user.online" { next = try await client.readJSON() }
                #expect(next["params"]?["type"] == "user.offline")
            }
        }
    }

    @Test func aStuckSubscriberLosesEventsButNeverHoldsUpOthers() async throws {
        let backend = TestBackend()
        let total = 400
        let padding = String(repeating: "p", count: 16 * 1024)
        try await withControlServer(backend: backend, configure: { $0.eventBufferCapacity = 8 }) { path in
            try await TestClient.with(path) { stuck in
                #expect(try await stuck.call(Self.subscribe)["result"]?["subscribed"] == true)
                try await TestClient.with(path) { reader in
                    #expect(try await reader.call(Self.subscribe)["result"]?["subscribed"] == true)
                    // `stuck` reads nothing while all events are published; `reader` gets every one.
                    for sequence in 0..<total {
                        backend.emit("call.ringing", ["seq": .number(JSONNumber(sequence)), "pad": .string(padding)])
                        let event = try await reader.readJSON()
                        #expect(event["params"]?["seq"] == .number(JSONNumber(sequence)))
                    }
                    let status = try await TestClient.with(path) { other in
                        try await other.call(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#)
                    }
                    #expect(status["id"] == 1)
                }
                // Now `stuck` reads: some events in order, then one report of how many were dropped.
                var delivered: [Int] = []
                var dropped = 0
                var lagReports = 0
                while delivered.count + dropped < total {
                    let message = try await stuck.readJSON()
                    switch message["method"]?.stringValue {
                    case "event":
                        delivered.append(try #require(message["params"]?["seq"]?.intValue))
                    case "lagged":
                        lagReports += 1
                        dropped += try #require(message["params"]?["dropped"]?.intValue)
                    default:
                        Issue.record("unexpected \(message)")
                        return
                    }
                }
                #expect(lagReports >= 1)
                #expect(dropped > 0)
                #expect(delivered == delivered.sorted())
                #expect(delivered.first == 0)
                #expect(delivered.count + dropped == total)
            }
        }
    }

    /// Observations become events only while somebody could want them: the server subscribes to
    /// the backend with its first connection and lets go with its last.
    @Test func theBackendSubscriptionLastsWhileAConnectionIsOpen() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            #expect(backend.subscriberCount == 0)
            try await TestClient.with(path) { first in
                _ = try await first.call(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#)
                #expect(backend.subscriberCount == 1)
                try await TestClient.with(path) { second in
                    _ = try await second.call(#"{"jsonrpc":"2.0","id":2,"method":"status"}"#)
                    #expect(backend.subscriberCount == 1)
                }
                _ = try await first.call(#"{"jsonrpc":"2.0","id":3,"method":"status"}"#)
                #expect(backend.subscriberCount == 1)
            }
            // The server notices the closed connection on its own time.
            for _ in 0..<200 where backend.subscriberCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(backend.subscriberCount == 0)
        }
        #expect(backend.subscriberCount == 0)
    }
}
