import ArgumentParser
import DialtoneJSON

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload", abstract: "Reread the configuration, as SIGHUP does.")

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("config.reload") { result in
            let changed = (result["changed"]?.arrayValue ?? []).compactMap(\.stringValue)
            return changed.isEmpty
                ? "configuration reloaded; nothing changed"
                : "configuration reloaded; changed: \(changed.joined(separator: ", "))"
        }
    }
}
