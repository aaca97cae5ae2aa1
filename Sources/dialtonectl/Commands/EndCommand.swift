import ArgumentParser
import DialtoneJSON

struct EndCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End a live call for everyone (endReason admin).")

    @Argument(help: "The call id, or a prefix matching exactly one live call.")
    var callId: String

    @Option(help: "A note for the logs and the devices.")
    var reason: String?

    @OptionGroup var options: ControlOptions

    func run() throws {
        var params: JSONObject = ["callId": .string(callId)]
        if let reason { params["reason"] = .string(reason) }
        try options.run("calls.end", params: params) { result in
            "ended \(Display.text(result["callId"])) after \(Display.duration(result["duration"]))"
        }
    }
}
