import ArgumentParser
import DialtoneJSON

struct KickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kick", abstract: "Disconnect every device of a user (their calls get the reconnect grace).")

    @Argument(help: "The user id.")
    var userId: String

    @OptionGroup var options: ControlOptions

    func run() throws {
        try options.run("users.disconnect", params: ["userId": .string(userId)]) { result in
            "disconnected \(userId) (\(Display.count(result["devices"])) device(s))"
        }
    }
}
