import ArgumentParser
import DialtoneDaemon
import Foundation

@main
struct Dialtoned: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialtoned",
        abstract: "WebRTC call-signaling daemon: Socket.IO and /ws devices, HTTP API, JSON-RPC control socket.",
        discussion: """
            Every setting can be given in the JSON config file, as DIALTONE_<NAME> in the \
            environment (upper case, - as _) and as --<name>; the option wins over the variable, \
            the variable over the file. See docs/configuration.md.

            Exit status: 0 after a clean stop or a successful --check-config; 1 when the daemon \
            fails while running; 2 for a usage or settings error, reported before anything is bound.
            """,
        version: "dialtoned \(DialtoneVersion.current)"
    )

    @Flag(help: "Validate the settings, print the effective ones (name = value (source), secrets redacted) and exit.")
    var checkConfig = false

    @OptionGroup(title: "Settings")
    var settings: SettingsOptions

    func run() async throws {
        let loaded: Settings
        do {
            loaded = try Settings.load(
                Settings.Inputs(options: settings.values, environment: ProcessInfo.processInfo.environment)
            )
        } catch {
            for problem in error.problems { Self.printError("dialtoned: \(problem)") }
            throw ExitCode(Self.usageError)
        }
        for warning in loaded.warnings { Self.printError("dialtoned: warning: \(warning)") }
        if checkConfig {
            print(loaded.report.joined(separator: "\n"))
            return
        }
        do {
            try await Daemon.run(settings: loaded)
        } catch let error as SettingsError {
            // A socket systemd passed can only be checked once it is in hand.
            for problem in error.problems { Self.printError("dialtoned: \(problem)") }
            throw ExitCode(Self.usageError)
        }
    }

    /// EX_USAGE-like: systemd units can list it in RestartPreventExitStatus=, as retrying a bad
    /// configuration cannot help.
    static let usageError: Int32 = 2

    /// ArgumentParser exits 64 on a bad command line; dialtoned uses one code for every usage and
    /// settings error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            printError(fullMessage(for: error))
            Foundation.exit(usageError)
        }
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
