import ArgumentParser
import DialtoneJSON

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Show totals over the call history.")

    @Option(help: "Only calls created since: a date-time, a date, or an age such as 15m, 2h, 7d.")
    var since: String?

    @OptionGroup var options: ControlOptions

    func validate() throws {
        if let since, TimeArgument.resolve(since) == nil {
            throw ValidationError("--since \(since): expected a date-time, a date, or an age such as 2h")
        }
    }

    func run() throws {
        var params: JSONObject = [:]
        if let since = since.flatMap({ TimeArgument.resolve($0) }) { params["since"] = .string(since) }
        try options.run("history.stats", params: params) { result in
            KeyValueList(result.objectValue ?? [:]).rendered()
        }
    }
}
