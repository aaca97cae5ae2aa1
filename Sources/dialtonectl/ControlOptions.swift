import ArgumentParser
import DialtoneJSON
import Foundation

/// The options every subcommand shares.
struct ControlOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The daemon's control socket (default: $DIALTONE_CONTROL_SOCKET, else /run/dialtone/control.sock).",
            valueName: "path"),
        completion: .file())
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's answer as JSON, for scripts.")
    var json = false

    static let defaultSocket = "/run/dialtone/control.sock"

    var socketPath: String {
        if let socket { return socket }
        if let fromEnvironment = ProcessInfo.processInfo.environment["DIALTONE_CONTROL_SOCKET"],
            !fromEnvironment.isEmpty
        {
            return fromEnvironment
        }
        return Self.defaultSocket
    }

    /// Connects, calls `method`, and hands the result to `show` (or prints it as JSON with
    /// `--json`). Failures are printed as one line on stderr and become the exit code.
    func run(_ method: String, params: JSONObject = [:], show: (JSON) -> String) throws {
        try Self.reportingFailure { () throws(CtlError) in
            let client = try ControlClient(socketPath: socketPath)
            let result = try client.call(method, params: params.isEmpty ? nil : .object(params))
            print(json ? result.serialized() : show(result))
        }
    }

    /// Runs `body`, turning a ``CtlError`` into a message on stderr and its exit code.
    static func reportingFailure(_ body: () throws(CtlError) -> Void) throws {
        do {
            try body()
        } catch {
            FileHandle.standardError.write(Data("dialtonectl: \(error)\n".utf8))
            throw error.exitCode
        }
    }
}
