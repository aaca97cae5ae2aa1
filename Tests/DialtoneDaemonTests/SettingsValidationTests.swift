import Foundation
import Testing

@testable import DialtoneDaemon

@Suite("Settings: validation")
struct SettingsValidationTests {
    /// A bad value for every setting that takes one from the command line, and the end of the
    /// message it must produce.
    static let badValues: [(Settings.Key, String, String)] = [
        (.listen, "127.0.0.1", "has no :port"),
        (.listen, "::1:8080", "is an IPv6 address without brackets; write it as [::1]:8080"),
        (.listen, "[::1:8080", "has no closing ] after the IPv6 address"),
        (.listen, "[nope]:80", "does not hold an IPv6 address in brackets"),
        (.listen, "300.1.1.1:80", "does not hold a valid IPv4 address"),
        (.listen, "bad_host:80", "does not hold a valid host name"),
        (.listen, ":8080", "has no host; use 0.0.0.0 or [::] for every interface"),
        (.listen, "127.0.0.1:65536", "does not end in a port from 0 to 65535"),
        (.listen, "127.0.0.1:http", "does not end in a port from 0 to 65535"),
        (.controlSocket, "", "is empty"),
        (
            .controlSocket, "/" + String(repeating: "s", count: 107),
            "is longer than the 107 bytes a Unix socket path can have"
        ),
        (.stateDir, "", "is empty"),
        (.ringTimeout, "abc", "is not a number of seconds"),
        (.ringTimeout, "-1", "is not a number of seconds"),
        (.ringTimeout, "1.2345", "is not a number of seconds"),
        (.ringTimeout, "1e3", "is not a number of seconds"),
        (.ringTimeout, "0", "must be between 0.001 and 3600 seconds"),
        (.reconnectGrace, "3601", "must be between 0 and 3600 seconds"),
        (.reconnectGrace, "", "is not a number of seconds"),
        (.historySaveInterval, "0.05", "must be between 0.1 and 86400 seconds"),
        (.pingInterval, "1.5", "is not a whole number of milliseconds"),
        (.pingInterval, "0", "must be between 1 and 3600000 milliseconds"),
        (.pingTimeout, "soon", "is not a whole number of milliseconds"),
        (.connectTimeout, "99999999999999999999", "is not a whole number of milliseconds"),
        (.maxPayload, "0", "must be between 1 and 1073741824 bytes"),
        (.maxPayload, "1e6", "is not a whole number of bytes"),
        (.eventLoops, "-1", "is not a whole number of event loops"),
        (.eventLoops, "1025", "must be between 0 and 1024 event loops"),
        (.auth, "JWT", "is not one of none, jwt"),
        (.jwtSecret, "", "is empty"),
        (.jwtSecretFile, "/nonexistent/secret", "does not exist"),
        (.logLevel, "verbose", "is not one of trace, debug, info, notice, warning, error, critical"),
        (.logTarget, "syslog", "is not one of auto, journal, stderr"),
        (.historyLimit, "-5", "is not a whole number of calls"),
        (.historyLimit, "10000001", "must be between 0 and 10000000 calls"),
        (.iceServers, "{}", "is not a JSON array of ICE servers"),
        (
            .iceServers, "[{\"url\":\"stun:a\"}]",
            "has a server without \"urls\" (a string or an array of strings) at index 0"
        ),
        (
            .iceServers, "[{\"urls\":\"stun:a\"},{\"urls\":\"stun:b\",\"credential\":5}]",
            "has a \"credential\" that is not a string at index 1"
        ),
        (.iceServers, "[\"stun:a\"]", "has a server that is not an object at index 0"),
        (.corsOrigins, "example.com", "is not * or a list of origins such as https://app.example.com"),
        (.corsOrigins, "https://", "is not * or a list of origins such as https://app.example.com"),
        (.maxConnections, "0", "must be between 1 and 10000000 connections"),
        (.maxConnectionsPerAddress, "many", "is not a whole number of connections"),
        (.maxCallsPerUser, "0", "must be between 1 and 100000 calls"),
        (.rateLimit, "-1", "is not a whole number of events per second"),
        (.rateBurst, "0", "must be between 1 and 10000000 events"),
        (.maxPollingSessions, "1.5", "is not a whole number of sessions"),
        (.requestTimeout, "0", "must be between 0.1 and 3600 seconds"),
        (.idleTimeout, "soon", "is not a number of seconds"),
        (.allowRemoteWithoutAuth, "yes", "is not true or false"),
    ]

    @Test("a bad option names the setting, the value and the option", arguments: badValues)
    func badOption(key: Settings.Key, value: String, reason: String) {
        let quoted = key == .jwtSecret ? "\"\"" : "\"\(value.replacing("\"", with: "\\\""))\""
        #expect(problems(options: [key: [value]]) == ["\(key.name): \(quoted) from --\(key.name) \(reason)"])
    }

    @Test("a bad variable names the variable")
    func badVariable() {
        #expect(
            problems(environment: ["HOME": "/h", "DIALTONE_RING_TIMEOUT": "abc"]) == [
                #"ring-timeout: "abc" from DIALTONE_RING_TIMEOUT is not a number of seconds"#
            ])
        #expect(
            problems(environment: ["HOME": "/h", "DIALTONE_LISTEN": "127.0.0.1:1,,127.0.0.1:2"]) == [
                #"listen: "" from DIALTONE_LISTEN has no :port"#
            ])
    }

    @Test("a bad value in the file names the file, and wrong JSON types are rejected")
    func badFileValues() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "dialtone.json",
            #"{"ring-timeout": "abc", "max-payload": true, "listen": [8080], "auth": 1, "jwt-secret": 42, "ice-servers": {"urls": "x"}}"#
        )
        #expect(
            problems(options: [.config: [config]]) == [
                "max-payload: true from \(config) is not a whole number of bytes",
                "listen: [8080] from \(config) is not a list of host:port addresses",
                "auth: 1 from \(config) is not one of none, jwt",
                "jwt-secret: <redacted> from \(config) is not a string",
                #"ice-servers: {"urls":"x"} from \#(config) is not a JSON array of ICE servers"#,
                #"ring-timeout: "abc" from \#(config) is not a number of seconds"#,
            ])
    }

    @Test("an unknown key in the file is an error, with a suggestion when one is close")
    func unknownFileKey() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write("dialtone.json", #"{"ring-timout": 5, "colour": "blue", "config": "/x"}"#)
        #expect(
            problems(options: [.config: [config]]) == [
                #""ring-timout" in \#(config) is not a setting (did you mean "ring-timeout"?)"#,
                #""colour" in \#(config) is not a setting"#,
                "config: cannot be set inside the config file \(config)",
            ])
    }

    @Test("a config file that is not usable is reported as such")
    func unusableConfigFile() throws {
        let directory = try TemporaryDirectory()
        let broken = try directory.write("broken.json", #"{"listen": "#)
        let list = try directory.write("list.json", "[]")
        let repeated = try directory.write("repeated.json", #"{"auth": "none", "auth": "jwt"}"#)
        let missing = directory.file("missing.json")

        #expect(problems(options: [.config: [missing]]) == [#"config: "\#(missing)" from --config does not exist"#])
        #expect(
            problems(environment: ["HOME": "/h", "DIALTONE_CONFIG": missing]) == [
                #"config: "\#(missing)" from DIALTONE_CONFIG does not exist"#
            ])
        let brokenProblems = problems(options: [.config: [broken]])
        #expect(brokenProblems.count == 1)
        #expect(brokenProblems.first?.hasPrefix("config: \(broken) is not valid JSON: ") == true)
        #expect(problems(options: [.config: [list]]) == ["config: \(list) must hold one JSON object of settings"])
        #expect(problems(options: [.config: [repeated]]) == [#"config: \#(repeated) sets "auth" more than once"#])
        #expect(
            problems(options: [.config: [directory.path]]).first?.hasPrefix(
                "config: \(directory.path) cannot be read: ") == true)
    }

    @Test("auth jwt needs a key; a secret from exactly one of jwt-secret and jwt-secret-file")
    func jwtSecrets() throws {
        #expect(
            problems(options: [.auth: ["jwt"]]) == [
                #"auth: "jwt" from --auth needs jwt-secret, jwt-secret-file or jwt-public-key-file"#
            ])
        #expect(
            problems(environment: ["HOME": "/h", "DIALTONE_AUTH": "jwt"]) == [
                #"auth: "jwt" from DIALTONE_AUTH needs jwt-secret, jwt-secret-file or jwt-public-key-file"#
            ])

        let directory = try TemporaryDirectory()
        let secretFile = try directory.write("secret", "abc")
        let emptySecretFile = try directory.write("empty", "\n")
        #expect(
            problems(
                options: [.auth: ["jwt"], .jwtSecret: ["x"]],
                environment: ["HOME": "/h", "DIALTONE_JWT_SECRET_FILE": secretFile]) == [
                    "jwt-secret: is set by --jwt-secret and jwt-secret-file by DIALTONE_JWT_SECRET_FILE; give only one"
                ])
        #expect(
            problems(options: [.auth: ["jwt"], .jwtSecretFile: [emptySecretFile]]) == [
                #"jwt-secret-file: "\#(emptySecretFile)" from --jwt-secret-file holds an empty secret"#
            ])
        #expect(
            try loadSettings(options: [.auth: ["jwt"], .jwtSecret: ["x"]]).auth == .jwt(secret: Settings.Secret("x")))
    }

    @Test("every problem is reported at once, in the order of the settings")
    func allProblemsAtOnce() {
        let found = problems(
            options: [.listen: ["nowhere"], .logLevel: ["loud"]],
            environment: ["HOME": "/h", "DIALTONE_PING_TIMEOUT": "x"]
        )
        #expect(
            found == [
                #"listen: "nowhere" from --listen has no :port"#,
                #"ping-timeout: "x" from DIALTONE_PING_TIMEOUT is not a whole number of milliseconds"#,
                #"log-level: "loud" from --log-level is not one of trace, debug, info, notice, warning, error, critical"#,
            ])
    }

    @Test("a listen address given twice is an error")
    func duplicateListen() {
        #expect(
            problems(options: [.listen: ["127.0.0.1:80", "127.0.0.1:80"]]) == [
                #"listen: "127.0.0.1:80" from --listen is listed twice"#
            ])
    }

    @Test("without any environment the state directory is under the account's home directory")
    func stateDirectoryFromAccount() throws {
        let home = String(cString: try #require(getpwuid(getuid())?.pointee.pw_dir))
        let settings = try loadSettings(environment: [:])
        #expect(settings.stateDirectory == home + "/.local/state/dialtone")
        #expect(settings.sources[.stateDir] == .builtIn)
    }
}
