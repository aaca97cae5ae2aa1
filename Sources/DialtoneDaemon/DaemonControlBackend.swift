import DialtoneControl
import DialtoneCore
import DialtoneJSON
import DialtoneServer
import DialtoneSystemd
import Foundation
import Logging

/// The control interface's methods over the signaling hub and the daemon's services. Records are
/// copied under the hub's lock and turned into JSON outside it: signaling waits for that lock.
final class DaemonControlBackend: ControlBackend {
    let hub: SignalingHub
    let saver: HistorySaver
    let historyPath: String
    let version: String
    let startedAt: Timestamp
    let clock: any DialtoneCore.Clock
    let reloader: Reloader
    let level: SharedLogLevel
    let feed: ControlEventFeed
    let history: HistoryLoad

    init(
        hub: SignalingHub, saver: HistorySaver, historyPath: String, version: String, startedAt: Timestamp,
        clock: any DialtoneCore.Clock, reloader: Reloader, level: SharedLogLevel, feed: ControlEventFeed,
        history: HistoryLoad
    ) {
        self.history = history
        self.hub = hub
        self.saver = saver
        self.historyPath = historyPath
        self.version = version
        self.startedAt = startedAt
        self.clock = clock
        self.reloader = reloader
        self.level = level
        self.feed = feed
    }

    private static func timestamp(_ date: Date?) -> Timestamp? {
        date.map { Timestamp(milliseconds: Int64(($0.timeIntervalSince1970 * 1000).rounded())) }
    }

    private static func reply(_ outcome: Outcome) throws -> JSON {
        switch outcome.reply {
        case .success(var body)?:
            body["ok"] = nil
            return .object(body)
        case .failure(let error)?:
            throw ControlError(code: error.code.rawValue, message: error.message)
        case nil:
            throw ControlError.internal("no reply")
        }
    }

    func status() throws -> JSON {
        .object(hub.statusDocument(version: version, startedAt: startedAt, now: clock.now()))
    }

    func listCalls(state: ControlCallState?) throws -> [JSON] {
        let wanted = state.flatMap { CallState(rawValue: $0.rawValue) }
        return hub.read { $0.liveCalls(state: wanted).map { $0.toJSON() } }
    }

    func call(id: String) throws -> JSON {
        let (live, ended) = hub.read { ($0.call(id), $0.record(id)) }
        guard let found = live?.toJSON() ?? ended?.toJSON() else { throw ControlError.callNotFound(id) }
        return found
    }

    func endCall(id: String, note: String?) throws -> JSON {
        try Self.reply(hub.apply { core, now in core.endCallAsAdmin(callId: id, now: now) })
    }

    func listUsers() throws -> [JSON] {
        hub.read { $0.users.map { $0.toJSON() } }
    }

    func disconnectUser(id: String) throws -> JSON {
        try Self.reply(hub.apply { core, _ in core.disconnectUser(id) })
    }

    func notifyUser(id: String, event: String, data: JSON) throws -> JSON {
        var body = try Self.reply(hub.apply { core, _ in core.notify(id, event: event, data: data) }).objectValue ?? [:]
        body["userId"] = .string(id)
        body["event"] = .string(event)
        return .object(body)
    }

    func listHistory(_ query: ControlHistoryQuery) throws -> [JSON] {
        // Copy the records under the lock, build JSON outside it: signaling waits for the lock.
        let records = hub.read {
            $0.history(userId: query.userId, since: Self.timestamp(query.since), until: Self.timestamp(query.until), limit: query.limit)
        }
        return records.map { $0.toJSON() }
    }

    func historyStats(since: Date?) throws -> JSON {
        let from = Self.timestamp(since)
        let records = hub.read { $0.history(userId: nil, since: from, until: nil, limit: nil) }
        var reasons = JSONObject()
        for reason in EndReason.allCases { reasons[reason.rawValue] = .number(JSONNumber(records.filter { $0.endReason == reason }.count)) }
        let answered = records.filter { $0.answeredAt != nil }
        let total = answered.map(\.duration).reduce(0, +)
        return [
            "since": since.map { .string($0.formatted(.iso8601)) } ?? .null,
            "calls": .number(JSONNumber(records.count)), "answered": .number(JSONNumber(answered.count)),
            "callsByEndReason": .object(reasons),
            "averageDurationSeconds": .number(JSONNumber(answered.isEmpty ? 0 : total / Double(answered.count))),
            "totalDurationSeconds": .number(JSONNumber(total)),
        ]
    }

    func historyLoaded() async {
        // A load that failed leaves the calls ended since the start: answer with those.
        try? await history.loaded()
    }

    func saveHistory() async throws -> JSON {
        try await saver.saveNow()
        let count = hub.read { $0.status.totalCalls }
        return ["saved": true, "path": .string(historyPath), "calls": .number(JSONNumber(count))]
    }

    func setLogLevel(_ level: Logger.Level) throws -> JSON {
        let previous = self.level.level
        self.level.level = level
        return ["level": .string(level.rawValue), "previous": .string(previous.rawValue)]
    }

    func reloadConfig() async throws -> JSON {
        do {
            try reloader.reload()
        } catch {
            throw ControlError.badRequest(error.problems.map { "\($0)" }.joined(separator: "; "))
        }
        return ["reloaded": true]
    }

    func subscribeEvents(_ sink: @escaping @Sendable (ControlEvent) -> Void) -> ControlEventCancellation {
        feed.subscribe(sink)
    }
}
