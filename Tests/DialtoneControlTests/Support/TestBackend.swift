import DialtoneControl
import DialtoneJSON
import Foundation
import Logging
import Synchronization

/// A backend with canned calls, users and history, recording what the control methods did.
final class TestBackend: ControlBackend {
    struct State {
        var liveCalls: [JSON] = [
            TestBackend.liveCall("call_1700000000000_aaaa", from: "alice", to: "bob", state: "active"),
            TestBackend.liveCall("call_1700000000001_bbbb", from: "carol", to: "dave", state: "ringing"),
        ]
        var history: [JSON] = [TestBackend.record("call_1690000000000_old", from: "alice", to: "erin", duration: 42)]
        var users: [String: [String]] = ["alice": ["s1", "s2"], "bob": ["s3"]]
        var level: Logger.Level = .info
        var ended: [(id: String, note: String?)] = []
        var notified: [(userId: String, event: String, data: JSON)] = []
        var disconnected: [String] = []
        var historyQueries: [ControlHistoryQuery] = []
        var saves = 0
        /// How many times a method waited for the history.
        var historyWaits = 0
        var saveFails = false
        var sinks: [Int: @Sendable (ControlEvent) -> Void] = [:]
        var nextSink = 0
    }

    struct Failure: Error {}

    let state = Mutex(State())

    func status() throws -> JSON {
        state.withLock { state in
            [
                "status": "ok", "version": "test", "uptimeSeconds": 12,
                "connectedUsers": .number(JSONNumber(state.users.count)),
                "connectedDevices": .number(JSONNumber(state.users.values.map(\.count).reduce(0, +))),
                "ringingCalls": 1, "activeCalls": 1, "totalCalls": .number(JSONNumber(state.history.count)),
                "callsByEndReason": ["hangup": 1, "admin": 0],
                "averageDurationSeconds": 42,
            ]
        }
    }

    func listCalls(state filter: ControlCallState?) throws -> [JSON] {
        state.withLock { state in
            state.liveCalls.filter { filter == nil || $0["state"]?.stringValue == filter?.rawValue }
        }
    }

    func call(id: String) throws -> JSON {
        let found = state.withLock { state in
            (state.liveCalls + state.history).first { $0["callId"]?.stringValue == id }
        }
        guard let found else { throw ControlError.callNotFound(id) }
        return found
    }

    func endCall(id: String, note: String?) throws -> JSON {
        try state.withLock { state throws(ControlError) in
            guard state.liveCalls.contains(where: { $0["callId"]?.stringValue == id }) else { throw .callNotFound(id) }
            let callId = id
            state.liveCalls.removeAll { $0["callId"]?.stringValue == callId }
            state.ended.append((callId, note))
            return ["callId": .string(callId), "endReason": "admin", "duration": 7]
        }
    }

    func listUsers() throws -> [JSON] {
        state.withLock { state in
            state.users.keys.sorted().map { user in
                [
                    "userId": .string(user),
                    "sessions": .array(state.users[user]!.map(JSON.string)),
                    "calls": user == "alice" ? ["call_1700000000000_aaaa"] : [],
                ]
            }
        }
    }

    func disconnectUser(id: String) throws -> JSON {
        try state.withLock { state throws(ControlError) in
            guard let devices = state.users.removeValue(forKey: id) else { throw .userOffline(id) }
            state.disconnected.append(id)
            return ["ok": true, "userId": .string(id), "devices": .number(JSONNumber(devices.count))]
        }
    }

    func notifyUser(id: String, event: String, data: JSON) throws -> JSON {
        try state.withLock { state throws(ControlError) in
            guard let devices = state.users[id] else { throw .userOffline(id) }
            state.notified.append((id, event, data))
            return ["ok": true, "delivered": .number(JSONNumber(devices.count))]
        }
    }

    func listHistory(_ query: ControlHistoryQuery) throws -> [JSON] {
        state.withLock { state in
            state.historyQueries.append(query)
            let matching = state.history.reversed().filter { record in
                query.userId == nil
                    || record["participants"]?.arrayValue?.contains(.string(query.userId!)) == true
            }
            return Array(matching.prefix(query.limit ?? .max))
        }
    }

    func historyStats(since: Date?) throws -> JSON {
        state.withLock { state in
            [
                "since": since.map { .string($0.formatted(.iso8601)) } ?? .null,
                "calls": .number(JSONNumber(state.history.count)), "answered": 1,
                "callsByEndReason": ["hangup": 1], "averageDurationSeconds": 42,
            ]
        }
    }

    func historyLoaded() async {
        state.withLock { $0.historyWaits += 1 }
    }

    func saveHistory() throws -> JSON {
        try state.withLock { state in
            if state.saveFails { throw Failure() }
            state.saves += 1
            return ["saved": true, "path": "/tmp/history.json", "calls": .number(JSONNumber(state.history.count))]
        }
    }

    func setLogLevel(_ level: Logger.Level) throws -> JSON {
        state.withLock { state in
            defer { state.level = level }
            return ["level": .string(level.rawValue), "previous": .string(state.level.rawValue)]
        }
    }

    func reloadConfig() throws -> JSON {
        ["reloaded": true, "changed": ["ring-timeout"]]
    }

    func subscribeEvents(_ sink: @escaping @Sendable (ControlEvent) -> Void) -> ControlEventCancellation {
        let key = state.withLock { state in
            defer { state.nextSink += 1 }
            state.sinks[state.nextSink] = sink
            return state.nextSink
        }
        return ControlEventCancellation { [weak self] in
            _ = self?.state.withLock { $0.sinks.removeValue(forKey: key) }
        }
    }

    /// Publishes an event as the daemon would, from the caller's thread.
    func emit(_ type: String, _ fields: JSONObject = [:]) {
        let sinks = state.withLock { Array($0.sinks.values) }
        let event = ControlEvent(type: type, time: Date(timeIntervalSince1970: 1_700_000_000), fields: fields)
        for sink in sinks { sink(event) }
    }

    var subscriberCount: Int { state.withLock { $0.sinks.count } }

    static func liveCall(_ id: String, from: String, to: String, state: String) -> JSON {
        [
            "callId": .string(id), "from": .string(from), "participants": [.string(from), .string(to)],
            "media": "audio", "state": .string(state), "createdAt": "2023-11-14T22:13:20.000Z",
            "answeredAt": state == "active" ? "2023-11-14T22:13:25.000Z" : .null,
        ]
    }

    static func record(_ id: String, from: String, to: String, duration: Int) -> JSON {
        [
            "callId": .string(id), "from": .string(from), "participants": [.string(from), .string(to)],
            "media": "video", "status": "ended", "endReason": "hangup",
            "createdAt": "2023-07-22T04:26:40.000Z", "answeredAt": "2023-07-22T04:26:45.000Z",
            "endedAt": "2023-07-22T04:27:27.000Z", "duration": .number(JSONNumber(duration)),
        ]
    }
}
