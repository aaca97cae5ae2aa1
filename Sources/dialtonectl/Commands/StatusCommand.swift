import ArgumentParser
import DialtoneJSON

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show connections, calls and totals.")

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("status") { result in
            KeyValueList(result.objectValue ?? [:]).rendered()
        }
    }
}
