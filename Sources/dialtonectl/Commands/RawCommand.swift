import ArgumentParser
import DialtoneJSON

struct RawCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raw", abstract: "Call any method with JSON params and print the result as JSON.")

    @Argument(help: "The method, e.g. rpc.discover.")
    var method: String

    @Argument(help: "The params: a JSON object or array.")
    var params: String?

    @OptionGroup var options: ControlOptions

    func validate() throws {
        _ = try parsedParams()
    }

    private func parsedParams() throws -> JSON? {
        guard let params else { return nil }
        let value: JSON
        do {
            value = try JSON(parsing: params)
        } catch {
            throw ValidationError("the params are not valid JSON: \(error)")
        }
        guard value.objectValue != nil || value.arrayValue != nil else {
            throw ValidationError("the params must be a JSON object or array")
        }
        return value
    }

    func run() throws {
        let params = try parsedParams()
        try ControlOptions.reportingFailure { () throws(CtlError) in
            let client = try ControlClient(socketPath: options.socketPath)
            print(try client.call(method, params: params).serialized())
        }
    }
}
