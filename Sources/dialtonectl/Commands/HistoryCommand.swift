import ArgumentParser
import DialtoneJSON

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "List ended calls, newest first.")

    @Option(help: "Only calls this user took part in.")
    var user: String?

    @Option(help: "Only calls created since: a date-time, a date, or an age such as 15m, 2h, 7d.")
    var since: String?

    @Option(help: "Only calls created until: a date-time, a date, or an age.")
    var until: String?

    @Option(help: "At most this many calls.")
    var limit: Int?

    @OptionGroup var options: ControlOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeArgument.resolve(value) == nil {
                throw ValidationError("\(name) \(value): expected a date-time, a date, or an age such as 2h")
            }
        }
    }

    func run() throws {
        var params: JSONObject = [:]
        if let user { params["userId"] = .string(user) }
        if let since = since.flatMap({ TimeArgument.resolve($0) }) { params["since"] = .string(since) }
        if let until = until.flatMap({ TimeArgument.resolve($0) }) { params["until"] = .string(until) }
        if let limit { params["limit"] = .number(JSONNumber(limit)) }
        try options.run("history.list", params: params) { result in
            let calls = result["calls"]?.arrayValue ?? []
            guard !calls.isEmpty else { return "no calls in the history" }
            var table = TextTable(["CALL ID", "FROM", "TO", "MEDIA", "END REASON", "CREATED", "DURATION"])
            for call in calls {
                table.append([
                    Display.text(call["callId"]), Display.text(call["from"]), Display.callees(call),
                    Display.text(call["media"]), Display.text(call["endReason"]), Display.text(call["createdAt"]),
                    Display.duration(call["duration"]),
                ])
            }
            return table.rendered()
        }
    }
}
