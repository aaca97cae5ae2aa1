import DialtoneJSON
import Logging

/// The control interface: every method, from which both the dispatcher and `rpc.discover`
/// are built.
public enum ControlMethods {
    public static let all: [ControlMethod] = [
        ControlMethod(
            "status", summary: "Daemon status: connections, calls and totals, as GET /status.",
            result: "status", .status
        ) { invocation in
            await invocation.backend.historyLoaded()
            return try invocation.backend.status()
        },
        ControlMethod(
            "calls.list", summary: "Ringing and active calls, oldest first.",
            params: [.optional("state", .oneOf(ControlCallState.allCases.map(\.rawValue), "only calls in this state"))],
            result: "calls", .object([.required("calls", .array(of: .liveCall))])
        ) { invocation in
            let state = invocation.params.string("state").flatMap(ControlCallState.init(rawValue:))
            return ["calls": .array(try invocation.backend.listCalls(state: state))]
        },
        ControlMethod(
            "calls.get", summary: "One call: a live call, or else the history record of an ended one.",
            params: [.required("callId", .string("the exact call id"))],
            result: "call", .anyOf([.liveCall, .callRecord]),
            errors: ["call_not_found"]
        ) { invocation in
            await invocation.backend.historyLoaded()
            return try invocation.backend.call(id: invocation.params.requiredString("callId"))
        },
        ControlMethod(
            "calls.end",
            summary: "Ends a live call for everyone with endReason admin; callId may be a unique prefix.",
            params: [
                .required("callId", .string("a live call's id, or a prefix matching exactly one")),
                .optional("reason", .string("a note for logs and devices; endReason stays admin", maxLength: 200)),
            ],
            result: "ended",
            .object([
                .required("callId", .string()),
                .required("endReason", .oneOf(["admin"])),
                .required("duration", .number("seconds from answeredAt, 0 if never answered")),
            ]),
            errors: ["call_not_found", "bad_request"],
            mutating: true
        ) { invocation in
            let callId = try ControlMethods.resolveLiveCall(
                invocation.params.requiredString("callId"), backend: invocation.backend)
            var ended =
                try invocation.backend.endCall(id: callId, note: invocation.params.string("reason")).objectValue ?? [:]
            // Ending through the control interface is what `admin` means; say so even when the
            // backend's answer (the device-style end ack) leaves the reason out.
            ended["endReason"] = "admin"
            return .object(ended)
        },
        ControlMethod(
            "users.list", summary: "Connected users with their devices and live calls.",
            result: "users", .object([.required("users", .array(of: .user))])
        ) { invocation in
            ["users": .array(try invocation.backend.listUsers())]
        },
        ControlMethod(
            "users.disconnect",
            summary: "Closes every connection of a user; their calls get the reconnect grace.",
            params: [.required("userId", .string())],
            result: "disconnected",
            .object([.required("userId", .string()), .required("devices", .integer("connections closed", minimum: 1))]),
            errors: ["user_offline"],
            mutating: true
        ) { invocation in
            try invocation.backend.disconnectUser(id: invocation.params.requiredString("userId"))
        },
        ControlMethod(
            "users.notify", summary: "Sends a server event with a payload to every device of a user.",
            params: [
                .required("userId", .string()),
                .required("event", .string("the event name devices receive", maxLength: 100)),
                .required("data", .any("the event's payload, delivered as given")),
            ],
            result: "notified",
            .object([.required("delivered", .integer("devices reached", minimum: 1))]),
            errors: ["user_offline", "bad_request"],
            mutating: true
        ) { invocation in
            try invocation.backend.notifyUser(
                id: invocation.params.requiredString("userId"),
                event: invocation.params.requiredString("event"),
                data: invocation.params["data"] ?? .null)
        },
        ControlMethod(
            "history.list", summary: "Ended calls, newest first.",
            params: [
                .optional("userId", .string("only calls this user took part in")),
                .optional("since", .dateTime("only calls created at or after")),
                .optional("until", .dateTime("only calls created at or before")),
                .optional("limit", .integer("at most this many", minimum: 1)),
            ],
            result: "history", .object([.required("calls", .array(of: .callRecord))])
        ) { invocation in
            let params = invocation.params
            let query = ControlHistoryQuery(
                userId: params.string("userId"), since: params.date("since"), until: params.date("until"),
                limit: params.int("limit"))
            await invocation.backend.historyLoaded()
            return ["calls": .array(try invocation.backend.listHistory(query))]
        },
        ControlMethod(
            "history.stats", summary: "Totals over the history: calls, answered, by endReason, mean duration.",
            params: [.optional("since", .dateTime("only calls created at or after"))],
            result: "stats", .stats
        ) { invocation in
            await invocation.backend.historyLoaded()
            return try invocation.backend.historyStats(since: invocation.params.date("since"))
        },
        ControlMethod(
            "history.save", summary: "Writes the history file now (atomically).",
            result: "saved",
            .object([
                .required("saved", .boolean()),
                .optional("path", .string()),
                .optional("calls", .integer("records written", minimum: 0)),
            ]),
            errors: ["internal"],
            mutating: true
        ) { invocation in
            try await invocation.backend.saveHistory()
        },
        ControlMethod(
            "events.subscribe",
            summary:
                "Streams `event {type, time, ...}` notifications on this connection, optionally only some types.",
            params: [
                .optional(
                    "types",
                    .array(
                        of: .oneOf(ControlEvent.knownTypes + ControlEvent.knownSubjects),
                        minItems: 1,
                        "event types, or subjects (call, user, participant) standing for all their types"))
            ],
            result: "subscription",
            .object([
                .required("subscribed", .boolean()),
                .required("types", .nullable(.array(of: .string(), "the filter; null for every type"))),
            ])
        ) { invocation in
            let types = invocation.params["types"]?.arrayValue?.compactMap(\.stringValue)
            invocation.subscription = types.map { ControlEventFilter(entries: Set($0)) } ?? .everything
            return ["subscribed": true, "types": types.map { .array($0.map(JSON.string)) } ?? .null]
        },
        ControlMethod(
            "events.unsubscribe", summary: "Stops the event notifications on this connection.",
            result: "subscription", .object([.required("subscribed", .boolean())])
        ) { invocation in
            invocation.subscription = nil
            return ["subscribed": false]
        },
        ControlMethod(
            "log.setLevel", summary: "Changes the daemon's log level until restart or reload.",
            params: [.required("level", .oneOf(Logger.Level.allCases.map(\.rawValue)))],
            result: "level",
            .object([
                .required("level", .oneOf(Logger.Level.allCases.map(\.rawValue))),
                .optional("previous", .oneOf(Logger.Level.allCases.map(\.rawValue))),
            ]),
            mutating: true
        ) { invocation in
            let level = invocation.params.string("level").flatMap(Logger.Level.init(rawValue:))
            guard let level else { throw ControlError.badRequest("unknown log level") }
            return try invocation.backend.setLogLevel(level)
        },
        ControlMethod(
            "config.reload", summary: "Rereads the configuration, as SIGHUP does.",
            result: "reload",
            .object([
                .required("reloaded", .boolean()),
                .optional("changed", .array(of: .string(), "names of the settings that changed")),
            ]),
            errors: ["bad_request"],
            mutating: true
        ) { invocation in
            try await invocation.backend.reloadConfig()
        },
        ControlMethod(
            "rpc.discover", summary: "This interface as an OpenRPC 1.x document.",
            result: "openrpc", .object([.required("openrpc", .string())], "an OpenRPC document")
        ) { invocation in
            invocation.discovery
        },
    ]

    /// An exact live call id stands; otherwise a prefix matching exactly one live call names it,
    /// as `end_call` does for devices. Several matches are refused, never guessed; no match is
    /// left to the backend, which knows whether the call exists.
    static func resolveLiveCall(_ requested: String, backend: any ControlBackend) throws -> String {
        let ids = try backend.listCalls(state: nil).compactMap { $0["callId"]?.stringValue }
        if ids.contains(requested) { return requested }
        let matches = ids.filter { $0.hasPrefix(requested) }
        guard matches.count <= 1 else {
            throw ControlError.badRequest(
                "\(requested) matches \(matches.count) live calls; give more of the id",
                details: ["matches": .array(matches.map(JSON.string))])
        }
        return matches.first ?? requested
    }

    /// Looks a method up by name.
    static let byName: [String: ControlMethod] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
