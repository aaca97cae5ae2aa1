import ArgumentParser
import DialtoneJSON

struct CallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Show one call, live or from the history.")

    @Argument(help: "The call id.")
    var callId: String

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("calls.get", params: ["callId": .string(callId)]) { result in
            var call = result.objectValue ?? [:]
            let participantStates = call["participantStates"]?.arrayValue ?? []
            call["participantStates"] = nil
            var text = KeyValueList(call).rendered()
            if !participantStates.isEmpty {
                var table = TextTable(["PARTICIPANT", "STATE", "RECONNECT BY"])
                for participant in participantStates {
                    table.append([
                        Display.text(participant["userId"]), Display.text(participant["state"]),
                        Display.text(participant["reconnectDeadline"]),
                    ])
                }
                text += "\n\n" + table.rendered()
            }
            return text
        }
    }
}
