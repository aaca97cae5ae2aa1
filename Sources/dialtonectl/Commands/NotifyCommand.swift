import ArgumentParser
import DialtoneJSON

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Send an event with a JSON payload to every device of a user.")

    @Argument(help: "The user id.")
    var userId: String

    @Argument(help: "The event name the devices receive.")
    var event: String

    @Argument(help: "The payload, as JSON (e.g. '{\"text\":\"hello\"}').")
    var data: String = "{}"

    @OptionGroup var options: ControlOptions

    func validate() throws {
        _ = try payload()
    }

    private func payload() throws -> JSON {
        do {
            return try JSON(parsing: data)
        } catch {
            throw ValidationError("the payload is not valid JSON: \(error)")
        }
    }

    func run() throws {
        let params: JSONObject = ["userId": .string(userId), "event": .string(event), "data": try payload()]
        try options.run("users.notify", params: params) { result in
            "sent \(event) to \(userId) (\(Display.text(result["delivered"])) device(s))"
        }
    }
}
