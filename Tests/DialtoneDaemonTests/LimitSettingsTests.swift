import DialtoneServer
import DialtoneSystemd
import Testing

@testable import DialtoneDaemon

@Suite("Settings: limits and the loopback rule")
struct LimitSettingsTests {
    @Test("the limits default to the documented values")
    func defaults() throws {
        let settings = try loadSettings()
        #expect(settings.maxConnections == 10_000)
        #expect(settings.maxConnectionsPerAddress == 200)
        #expect(settings.maxCallsPerUser == 10)
        #expect(settings.rateLimit == 50)
        #expect(settings.rateBurst == 200)
        #expect(settings.maxPollingSessions == 5000)
        #expect(settings.requestTimeout == .seconds(10))
        #expect(settings.idleTimeout == .seconds(60))
        #expect(settings.allowRemoteWithoutAuth == false)
        for key in [Settings.Key.maxConnections, .rateLimit, .requestTimeout, .allowRemoteWithoutAuth] {
            #expect(settings.sources[key] == .builtIn)
        }
    }

    @Test("limits from the file (numbers and a boolean), the environment and options reach the components")
    func components() throws {
        let directory = try TemporaryDirectory()
        let config = try directory.write(
            "dialtone.json",
            #"{"max-connections": 7, "rate-limit": 0, "allow-remote-without-auth": true, "listen": "0.0.0.0:1"}"#)
        let settings = try loadSettings(
            options: [.config: [config], .idleTimeout: ["2.5"], .corsOrigins: ["https://a.example"]],
            environment: ["HOME": "/h", "DIALTONE_MAX_CALLS_PER_USER": "3", "DIALTONE_RATE_BURST": "9"])
        #expect(settings.allowRemoteWithoutAuth)
        #expect(settings.coreConfiguration.maxCallsPerUser == 3)
        #expect(settings.deviceRateLimit == RateLimit(eventsPerSecond: 0, burst: 9))
        let limits = settings.connectionLimits
        #expect(limits.maxConnections == 7)
        #expect(limits.maxConnectionsPerAddress == 200)
        #expect(limits.idleTimeout == .milliseconds(2500))
        #expect(limits.requestTimeout == .seconds(10))
        #expect(limits.origins == .only(["https://a.example"]))
        #expect(settings.socketIOConfiguration.engine.maxPollingSessions == 5000)
        #expect(try loadSettings().connectionLimits.origins == .any)
    }

    @Test("a boolean in the file must be a JSON boolean or the words true and false")
    func booleans() throws {
        let directory = try TemporaryDirectory()
        let number = try directory.write("number.json", #"{"allow-remote-without-auth": 1}"#)
        #expect(problems(options: [.config: [number]]) == ["allow-remote-without-auth: 1 from \(number) is not true or false"])
        let text = try directory.write("text.json", #"{"allow-remote-without-auth": "false"}"#)
        #expect(try loadSettings(options: [.config: [text]]).allowRemoteWithoutAuth == false)
    }

    @Test(
        "loopback hosts",
        arguments: [
            ("127.0.0.1", true), ("127.255.0.9", true), ("::1", true), ("0:0:0:0:0:0:0:1", true),
            ("::ffff:127.0.0.1", true), ("localhost", true), ("LocalHost", true),
            ("0.0.0.0", false), ("::", false), ("10.0.0.1", false), ("128.0.0.1", false), ("::2", false),
            ("::ffff:10.0.0.1", false), ("example.com", false), ("localhost.example.com", false),
        ])
    func loopbackHosts(host: String, loopback: Bool) {
        #expect(Settings.isLoopback(host: host) == loopback)
    }

    @Test(
        "socket addresses systemd passes",
        arguments: [
            ("127.0.0.1:8080", true), ("[::1]:8080", true), ("/run/dialtone/http.sock", true), ("@abstract", true),
            ("0.0.0.0:8080", false), ("[::]:8080", false), ("192.168.1.2:80", false), ("?", false),
        ])
    func socketAddresses(text: String, local: Bool) {
        #expect(Settings.isLocal(socketAddress: text) == local)
    }

    @Test("auth none on a non-loopback address is refused, with how to allow it")
    func remoteWithoutAuth() throws {
        let refused = problems(options: [.listen: ["127.0.0.1:1,0.0.0.0:2,[::]:3"]])
        #expect(
            refused == ["0.0.0.0:2", "[::]:3"].map {
                "listen: \($0) is not a loopback address and auth is none, so anyone who reaches it could act as any "
                    + "user; set auth to jwt (with jwt-secret-file), or set allow-remote-without-auth to true"
            })
        #expect(problems(options: [.listen: ["0.0.0.0:2"], .allowRemoteWithoutAuth: ["true"]]).isEmpty)
        #expect(problems(options: [.listen: ["0.0.0.0:2"], .auth: ["jwt"], .jwtSecret: ["s"]]).isEmpty)
        #expect(problems(options: [.listen: ["localhost:2,[::1]:3"]]).isEmpty)
    }

    @Test("a socket systemd passed is held to the same rule")
    func passedSockets() throws {
        let settings = try loadSettings()
        let remote = ListenDescriptor(fd: 3, name: .http, localAddress: "0.0.0.0:8080")
        let local = ListenDescriptor(fd: 4, name: .http, localAddress: "127.0.0.1:8080")
        #expect(throws: Never.self) { try settings.checkPassedListeners([local]) }
        #expect {
            try settings.checkPassedListeners([local, remote])
        } throws: { error in
            (error as? SettingsError)?.problems.map(\.description) == [
                "listen: the socket systemd passed on 0.0.0.0:8080 is not a loopback address and auth is none, so "
                    + "anyone who reaches it could act as any user; set auth to jwt (with jwt-secret-file), or set "
                    + "allow-remote-without-auth to true"
            ]
        }
        var allowed = settings
        allowed.allowRemoteWithoutAuth = true
        #expect(throws: Never.self) { try allowed.checkPassedListeners([remote]) }
    }
}
