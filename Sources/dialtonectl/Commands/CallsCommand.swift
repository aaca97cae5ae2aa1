import ArgumentParser
import DialtoneJSON

struct CallsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls", abstract: "List ringing and active calls.")

    enum State: String, ExpressibleByArgument, CaseIterable {
        case ringing, active
    }

    @Option(help: "Only calls in this state.")
    var state: State?

    @OptionGroup var options: ControlOptions

    func run() throws {
        var params: JSONObject = [:]
        if let state { params["state"] = .string(state.rawValue) }
        try options.run("calls.list", params: params) { result in
            let calls = result["calls"]?.arrayValue ?? []
            guard !calls.isEmpty else { return "no live calls" }
            var table = TextTable(["CALL ID", "STATE", "FROM", "TO", "MEDIA", "CREATED", "ANSWERED"])
            for call in calls {
                table.append([
                    Display.text(call["callId"]), Display.text(call["state"] ?? call["status"]),
                    Display.text(call["from"]), Display.callees(call), Display.text(call["media"]),
                    Display.text(call["createdAt"]), Display.text(call["answeredAt"]),
                ])
            }
            return table.rendered()
        }
    }
}
