import ArgumentParser
import DialtoneJSON

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "List connected users.")

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("users.list") { result in
            let users = result["users"]?.arrayValue ?? []
            guard !users.isEmpty else { return "no users connected" }
            var table = TextTable(["USER", "DEVICES", "CALLS"])
            for user in users {
                table.append([
                    Display.text(user["userId"]), Display.count(user["sessions"] ?? user["devices"]),
                    Display.text(user["calls"]),
                ])
            }
            return table.rendered()
        }
    }
}
