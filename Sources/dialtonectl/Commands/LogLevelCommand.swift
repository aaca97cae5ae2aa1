import ArgumentParser
import DialtoneJSON

struct LogLevelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-level", abstract: "Change the daemon's log level.")

    enum Level: String, ExpressibleByArgument, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    @Argument(help: "The new level.")
    var level: Level

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("log.setLevel", params: ["level": .string(level.rawValue)]) { result in
            var line = "log level \(Display.text(result["level"]))"
            if let previous = result["previous"]?.stringValue { line += " (was \(previous))" }
            return line
        }
    }
}
