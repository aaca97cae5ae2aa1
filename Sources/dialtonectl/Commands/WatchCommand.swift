import ArgumentParser
import DialtoneJSON
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Print call and presence events as they happen, until Ctrl-C.")

    @Option(
        name: .customLong("type"),
        help: "Only these event types (repeatable), e.g. call.ended, or a subject: call, user, participant.")
    var types: [String] = []

    @OptionGroup var options: ControlOptions

    func run() throws {
        // Ctrl-C is how watch ends. A parent may have started us with SIGINT blocked (threads
        // of some runtimes spawn children with their own mask), which would make it ignore Ctrl-C.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &signals, nil)
        var params: JSONObject = [:]
        if !types.isEmpty { params["types"] = .array(types.map(JSON.string)) }
        try ControlOptions.reportingFailure { () throws(CtlError) in
            let client = try ControlClient(socketPath: options.socketPath)
            _ = try client.call("events.subscribe", params: params.isEmpty ? nil : .object(params))
            while let message = try client.readMessage() {
                // Unbuffered, so a pipe sees each event as it happens.
                if let line = options.json ? message.serialized() : Self.describe(message) {
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                }
            }
            throw CtlError.closed
        }
    }

    /// `TIME  TYPE  key=value ...` for an event; a notice for a lag.
    static func describe(_ message: JSON) -> String? {
        switch message["method"]?.stringValue {
        case "event":
            guard let params = message["params"]?.objectValue else { return nil }
            let details = params.filter { $0.key != "type" && $0.key != "time" }
                .map { "\($0.key)=\(Display.text($0.value))" }
            return ([Display.text(params["time"]), Display.text(params["type"])] + details).joined(separator: "  ")
        case "lagged":
            return "-- \(Display.text(message["params"]?["dropped"])) event(s) dropped: this terminal read too slowly"
        default:
            return nil
        }
    }
}
