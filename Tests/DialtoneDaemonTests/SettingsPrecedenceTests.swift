import DialtoneJSON
import Logging
import Testing

@testable import DialtoneDaemon

@Suite("Settings: sources and precedence")
struct SettingsPrecedenceTests {
    @Test("every default, with no file, variable or option")
    func defaults() throws {
        let settings = try loadSettings()
        #expect(settings.configFile == nil)
        #expect(settings.listen == [Settings.ListenAddress(host: "127.0.0.1", port: 8080)])
        #expect(settings.stateDirectory == "/home/tester/.local/state/dialtone")
        #expect(settings.controlSocket == "/home/tester/.local/state/dialtone/control.sock")
        #expect(settings.ringTimeout == .seconds(30))
        #expect(settings.reconnectGrace == .seconds(20))
        #expect(settings.pingInterval == .milliseconds(25_000))
        #expect(settings.pingTimeout == .milliseconds(20_000))
        #expect(settings.connectTimeout == .milliseconds(45_000))
        #expect(settings.maxPayload == 1_000_000)
        #expect(settings.auth == .none)
        #expect(settings.jwtSecretFile == nil)
        #expect(settings.logLevel == .info)
        #expect(settings.logTarget == .auto)
        #expect(settings.historyLimit == 100_000)
        #expect(settings.historySaveInterval == .seconds(30))
        #expect(settings.iceServers == [])
        #expect(settings.corsOrigins == .any)
        #expect(settings.warnings.isEmpty)
        for key in Settings.Key.allCases where key != .stateDir {
            #expect(settings.sources[key] == .builtIn, "\(key.name)")
        }
        #expect(settings.sources[.stateDir] == .derived(from: "HOME"))
    }

    @Test("file < environment < option, per setting")
    func precedence() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "dialtone.json",
            #"{"ring-timeout": 11, "reconnect-grace": "12", "history-limit": 13, "log-level": "debug"}"#
        )
        let settings = try loadSettings(
            options: [.config: [config], .ringTimeout: ["31"]],
            environment: [
                "HOME": "/home/tester",
                "DIALTONE_RING_TIMEOUT": "21",
                "DIALTONE_RECONNECT_GRACE": "22",
            ]
        )
        #expect(settings.configFile == config)
        #expect(settings.ringTimeout == .seconds(31))
        #expect(settings.sources[.ringTimeout] == .option("--ring-timeout"))
        #expect(settings.reconnectGrace == .seconds(22))
        #expect(settings.sources[.reconnectGrace] == .environment("DIALTONE_RECONNECT_GRACE"))
        #expect(settings.historyLimit == 13)
        #expect(settings.logLevel == .debug)
        #expect(settings.sources[.logLevel] == .file(config))
        #expect(settings.pingInterval == .milliseconds(25_000))
        #expect(settings.sources[.pingInterval] == .builtIn)
        #expect(settings.sources[.config] == .option("--config"))
    }

    @Test("the config file can be named by DIALTONE_CONFIG, and the default one is read when it exists")
    func configFileLocation() throws {
        let directory = try TemporaryDirectory()
        let named = try directory.write("named.json", #"{"history-limit": 7}"#)
        let fallback = try directory.write("default.json", #"{"history-limit": 8}"#)

        let fromVariable = try loadSettings(
            environment: ["HOME": "/h", "DIALTONE_CONFIG": named], defaultConfigPath: fallback)
        #expect(fromVariable.historyLimit == 7)
        #expect(fromVariable.sources[.config] == .environment("DIALTONE_CONFIG"))

        let fromDefault = try loadSettings(defaultConfigPath: fallback)
        #expect(fromDefault.historyLimit == 8)
        #expect(fromDefault.configFile == fallback)
        #expect(fromDefault.sources[.config] == .builtIn)
    }

    @Test("list settings: repeated options, comma lists in variables and options, arrays or strings in the file")
    func lists() throws {
        let fromOptions = try loadSettings(options: [.listen: ["127.0.0.1:1,[::1]:2", "localhost:3"]])
        #expect(fromOptions.listen.map(\.description) == ["127.0.0.1:1", "[::1]:2", "localhost:3"])
        #expect(fromOptions.listen[1] == Settings.ListenAddress(host: "::1", port: 2))

        let fromVariable = try loadSettings(environment: [
            "HOME": "/h", "DIALTONE_LISTEN": "0.0.0.0:80, [::]:80", "DIALTONE_ALLOW_REMOTE_WITHOUT_AUTH": "true",
            "DIALTONE_CORS_ORIGINS": "https://a.example,capacitor://localhost",
        ])
        #expect(fromVariable.listen.map(\.description) == ["0.0.0.0:80", "[::]:80"])
        #expect(fromVariable.corsOrigins == .only(["https://a.example", "capacitor://localhost"]))

        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "dialtone.json",
            #"{"listen": ["127.0.0.1:5", "127.0.0.2:6"], "cors-origins": "http://localhost:3000"}"#
        )
        let fromFile = try loadSettings(options: [.config: [config]])
        #expect(fromFile.listen.map(\.description) == ["127.0.0.1:5", "127.0.0.2:6"])
        #expect(fromFile.corsOrigins == .only(["http://localhost:3000"]))
    }

    @Test("state directory and control socket defaults follow systemd, then XDG, then HOME")
    func derivedDefaults() throws {
        let systemd = try loadSettings(environment: [
            "HOME": "/h", "STATE_DIRECTORY": "/var/lib/dialtone:/var/lib/other",
            "RUNTIME_DIRECTORY": "/run/dialtone", "XDG_STATE_HOME": "/x/state", "XDG_RUNTIME_DIR": "/run/user/1",
        ])
        #expect(systemd.stateDirectory == "/var/lib/dialtone")
        #expect(systemd.sources[.stateDir] == .derived(from: "STATE_DIRECTORY"))
        #expect(systemd.controlSocket == "/run/dialtone/control.sock")
        #expect(systemd.sources[.controlSocket] == .derived(from: "RUNTIME_DIRECTORY"))

        let xdg = try loadSettings(environment: [
            "HOME": "/h", "XDG_STATE_HOME": "/x/state", "XDG_RUNTIME_DIR": "/run/user/1",
        ])
        #expect(xdg.stateDirectory == "/x/state/dialtone")
        #expect(xdg.controlSocket == "/run/user/1/dialtone/control.sock")

        // The XDG specification says to ignore relative paths.
        let relativeXDG = try loadSettings(environment: ["HOME": "/h", "XDG_STATE_HOME": "state"])
        #expect(relativeXDG.stateDirectory == "/h/.local/state/dialtone")
        #expect(relativeXDG.controlSocket == "/h/.local/state/dialtone/control.sock")

        let explicit = try loadSettings(
            options: [.stateDir: ["/srv/dialtone"]], environment: ["STATE_DIRECTORY": "/var/lib/dialtone"])
        #expect(explicit.stateDirectory == "/srv/dialtone")
        #expect(explicit.controlSocket == "/srv/dialtone/control.sock")
    }

    @Test("decimal seconds, ICE servers and secrets are taken as given")
    func values() throws {
        let directory = try TemporaryDirectory()
        let secretFile = try directory.write("secret", "s3cr3t\n")
        let settings = try loadSettings(
            options: [
                .ringTimeout: ["2.5"], .reconnectGrace: ["0"], .historySaveInterval: ["0.25"],
                .auth: ["jwt"], .jwtSecretFile: [secretFile], .logTarget: ["journal"],
                .iceServers: [
                    #"[{"urls":"stun:stun.example.com"},{"urls":["turn:t.example.com"],"username":"u","credential":"c"}]"#
                ],
            ]
        )
        #expect(settings.ringTimeout == .milliseconds(2500))
        #expect(settings.reconnectGrace == .zero)
        #expect(settings.historySaveInterval == .milliseconds(250))
        #expect(settings.auth == .jwt(secret: Settings.Secret("s3cr3t")))
        #expect(settings.jwtSecretFile == secretFile)
        #expect(settings.logTarget == .journal)
        let servers = try JSON(
            parsing:
                #"[{"urls":"stun:stun.example.com"},{"urls":["turn:t.example.com"],"username":"u","credential":"c"}]"#)
        #expect(settings.iceServers == servers)
        #expect("\(Settings.Secret("s3cr3t"))" == "<redacted>")
    }

    @Test("a JSON array of ICE servers in the file keeps its members")
    func iceServersInFile() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "dialtone.json", #"{"ice-servers": [{"urls": "stun:a", "username": "u", "credential": "p"}]}"#)
        let settings = try loadSettings(options: [.config: [config]])
        #expect(settings.iceServers == [["urls": "stun:a", "username": "u", "credential": "p"]])
        #expect(settings.sources[.iceServers] == .file(config))
    }

    @Test("null in the file leaves the setting to the other sources")
    func nullInFile() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("dialtone.json", #"{"ring-timeout": null}"#)
        let settings = try loadSettings(options: [.config: [config]])
        #expect(settings.ringTimeout == .seconds(30))
        #expect(settings.sources[.ringTimeout] == .builtIn)
    }

    @Test("a reload reads the config file again and keeps the command line and environment")
    func reload() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("dialtone.json", #"{"log-level": "info", "history-limit": 5}"#)
        let first = try loadSettings(options: [.config: [config], .historyLimit: ["9"]])
        try directory.write("dialtone.json", #"{"log-level": "debug", "history-limit": 6}"#)
        let second = try first.reloaded()
        #expect(first.logLevel == .info)
        #expect(second.logLevel == .debug)
        #expect(second.historyLimit == 9)

        try directory.write("dialtone.json", #"{"log-level": "loud"}"#)
        #expect(throws: SettingsError.self) { try first.reloaded() }
    }

    @Test("unknown DIALTONE_ variables and an unused secret are warnings, not errors")
    func warnings() throws {
        let settings = try loadSettings(environment: [
            "HOME": "/h", "DIALTONE_RING_TIMOUT": "3", "DIALTONE_JWT_SECRET": "x",
        ])
        #expect(
            settings.warnings == [
                "DIALTONE_RING_TIMOUT is not a setting and is ignored (did you mean DIALTONE_RING_TIMEOUT?)",
                "jwt-secret is set but auth is none, so devices are not authenticated",
            ])
    }
}
