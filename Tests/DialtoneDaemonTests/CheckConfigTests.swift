import ArgumentParser
import Foundation
import Testing

@testable import DialtoneDaemon
@testable import dialtoned

@Suite("dialtoned: options and --check-config")
struct CheckConfigTests {
    @Test("every setting has its option, and the option reaches the setting")
    func everySettingHasAnOption() throws {
        for key in Settings.Key.allCases {
            let options = try SettingsOptions.parse([key.optionName, "value-of-\(key.name)"])
            #expect(options.values == [key: ["value-of-\(key.name)"]], "\(key.optionName)")
        }
        let repeated = try SettingsOptions.parse(["--listen", "a:1", "--listen", "b:2"])
        #expect(repeated.values == [.listen: ["a:1", "b:2"]])
    }

    @Test("the report prints every setting once, with its source, and redacts secrets")
    func report() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "dialtone.json", #"{"jwt-secret": "hunter2", "ice-servers": [{"urls": "stun:a"}]}"#)
        let settings = try loadSettings(
            options: [.config: [config], .auth: ["jwt"], .listen: ["127.0.0.1:0", "[::1]:9"], .ringTimeout: ["1.5"]],
            environment: ["STATE_DIRECTORY": "/var/lib/dialtone", "DIALTONE_CORS_ORIGINS": "https://a.example"]
        )
        #expect(
            settings.report == [
                "config = \(config) (--config)",
                "listen = 127.0.0.1:0,[::1]:9 (--listen)",
                "control-socket = /var/lib/dialtone/control.sock (default)",
                "state-dir = /var/lib/dialtone (default from $STATE_DIRECTORY)",
                "ring-timeout = 1.5 (--ring-timeout)",
                "reconnect-grace = 20 (default)",
                "ping-interval = 25000 (default)",
                "ping-timeout = 20000 (default)",
                "connect-timeout = 45000 (default)",
                "max-payload = 1000000 (default)",
                "event-loops = 0 (default)",
                "auth = jwt (--auth)",
                "jwt-secret = <redacted> (\(config))",
                "jwt-secret-file = <unset> (default)",
                "jwt-public-key-file = <unset> (default)",
                "log-level = info (default)",
                "log-target = auto (default)",
                "history-limit = 100000 (default)",
                "history-save-interval = 30 (default)",
                #"ice-servers = [{"urls":"stun:a"}] (\#(config))"#,
                "cors-origins = https://a.example (DIALTONE_CORS_ORIGINS)",
                "max-connections = 10000 (default)",
                "max-connections-per-address = 200 (default)",
                "max-calls-per-user = 10 (default)",
                "rate-limit = 50 (default)",
                "rate-burst = 200 (default)",
                "max-polling-sessions = 5000 (default)",
                "request-timeout = 10 (default)",
                "idle-timeout = 60 (default)",
                "allow-remote-without-auth = false (default)",
            ])
        #expect(!settings.report.joined().contains("hunter2"))
    }

    @Test("the report reads back as the same settings")
    func reportRoundTrip() throws {
        let settings = try loadSettings(options: [
            .ringTimeout: ["0.125"], .reconnectGrace: ["7"], .listen: ["[::]:80"],
            .corsOrigins: ["http://x:1,http://y"],
            .iceServers: [#"[{"urls":["stun:a","stun:b"]}]"#], .historySaveInterval: ["2.05"],
            .allowRemoteWithoutAuth: ["true"], .rateLimit: ["0"], .idleTimeout: ["0.5"],
        ])
        var options: [Settings.Key: [String]] = [:]
        for line in settings.report {
            let parts = line.split(separator: " = ", maxSplits: 1)
            let key = try #require(Settings.Key(rawValue: String(parts[0])))
            guard case .option? = settings.sources[key] else { continue }
            let sourceStart = try #require(parts[1].range(of: " (", options: .backwards))
            let value = String(parts[1][..<sourceStart.lowerBound])
            options[key] = [value]
        }
        #expect(options.count == 9)
        let reread = try loadSettings(options: options)
        #expect(reread.report == settings.report)
        #expect(reread.iceServers == settings.iceServers)
    }

    /// The real binary, built next to this test bundle.
    private static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/dialtoned")

    private static func run(_ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }

    @Test("dialtoned --check-config prints the effective settings and exits 0")
    func checkConfigBinary() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("dialtone.json", #"{"history-limit": 50}"#)
        let result = try Self.run(
            ["--check-config", "--config", config, "--ping-interval", "1000"],
            environment: ["HOME": directory.path, "DIALTONE_RING_TIMEOUT": "2"]
        )
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == Settings.Key.allCases.count)
        #expect(lines.contains("history-limit = 50 (\(config))"))
        #expect(lines.contains("ring-timeout = 2 (DIALTONE_RING_TIMEOUT)"))
        #expect(lines.contains("ping-interval = 1000 (--ping-interval)"))
        #expect(lines.contains("state-dir = \(directory.path)/.local/state/dialtone (default from $HOME)"))
        // Checking must not create anything.
        #expect(try directory.names() == ["dialtone.json"])
    }

    @Test("a bad setting or a bad command line exits 2 with the reason on stderr")
    func usageErrors() throws {
        let badSetting = try Self.run(["--check-config"], environment: ["HOME": "/h", "DIALTONE_RING_TIMEOUT": "abc"])
        #expect(badSetting.status == 2)
        #expect(badSetting.output.isEmpty)
        #expect(
            badSetting.errors
                == "dialtoned: ring-timeout: \"abc\" from DIALTONE_RING_TIMEOUT is not a number of seconds\n")

        let unknownOption = try Self.run(["--ring-timout", "3"], environment: ["HOME": "/h"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.errors.contains("Unknown option '--ring-timout'"))
    }

    @Test("--version prints the version from one place, --help lists every setting")
    func versionAndHelp() throws {
        let version = try Self.run(["--version"], environment: [:])
        #expect(version.status == 0)
        #expect(version.output == "dialtoned \(DialtoneVersion.current)\n")

        let help = try Self.run(["--help"], environment: ["COLUMNS": "200"])
        #expect(help.status == 0)
        for key in Settings.Key.allCases {
            #expect(help.output.contains("\(key.optionName) <\(key.valueName)>"), "\(key.optionName)")
            #expect(help.output.contains(key.environmentName), "\(key.environmentName)")
        }
        #expect(help.output.contains("--check-config"))
    }
}
