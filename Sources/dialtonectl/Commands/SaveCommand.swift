import ArgumentParser
import DialtoneJSON

struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save", abstract: "Write the history file now.")

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("history.save") { result in
            var line = "history saved"
            if let path = result["path"]?.stringValue { line += " to \(path)" }
            if let calls = result["calls"]?.intValue { line += " (\(calls) calls)" }
            return line
        }
    }
}
