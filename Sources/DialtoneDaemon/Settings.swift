import DialtoneJSON
import DialtoneServer
import DialtoneSystemd
import Logging

/// Everything `dialtoned` can be told, validated, and where each value came from.
///
/// Each setting can be given in the config file, as `DIALTONE_<NAME>` in the environment and as
/// `--<name>` on the command line; the option wins over the variable, the variable over the file,
/// and the file over the built-in default. Build one with ``load(_:)``.
public struct Settings: Sendable, Equatable {
    /// The config file that was read, if any (`config`).
    public var configFile: String?
    /// Where the HTTP and device transports listen when systemd passes no socket (`listen`).
    public var listen: [ListenAddress]
    /// The control interface's Unix socket (`control-socket`).
    public var controlSocket: String
    /// Where `history.json` lives (`state-dir`).
    public var stateDirectory: String
    /// How long a call rings before it ends with `no_answer` (`ring-timeout`).
    public var ringTimeout: Duration
    /// How long a participant whose last device dropped keeps its calls (`reconnect-grace`).
    public var reconnectGrace: Duration
    /// Engine.IO `pingInterval` (`ping-interval`).
    public var pingInterval: Duration
    /// Engine.IO `pingTimeout` (`ping-timeout`).
    public var pingTimeout: Duration
    /// How long a Socket.IO client may take to CONNECT after the Engine.IO handshake (`connect-timeout`).
    public var connectTimeout: Duration
    /// The largest Engine.IO payload and HTTP request body, in bytes (`max-payload`).
    public var maxPayload: Int
    /// How many event-loop threads serve connections; 0 picks one per usable CPU (`event-loops`).
    public var eventLoops: Int
    /// How devices prove who they are (`auth`, `jwt-secret`, `jwt-secret-file`, `jwt-public-key-file`).
    public var auth: Auth
    /// The file the JWT secret was read from, kept so a reload can read it again (`jwt-secret-file`).
    public var jwtSecretFile: String?
    /// The PEM file the JWT public key was read from (`jwt-public-key-file`).
    public var jwtPublicKeyFile: String?
    /// The least severe log level written (`log-level`).
    public var logLevel: Logger.Level
    /// Where logs go (`log-target`).
    public var logTarget: LogTarget
    /// How many ended calls the history keeps (`history-limit`).
    public var historyLimit: Int
    /// How often a changed history is saved (`history-save-interval`).
    public var historySaveInterval: Duration
    /// The ICE servers handed to devices when they register: a JSON array (`ice-servers`).
    public var iceServers: JSON
    /// The origins allowed to make cross-origin polling requests (`cors-origins`).
    public var corsOrigins: CORSOrigins
    /// Open TCP connections on the HTTP listeners, in all (`max-connections`).
    public var maxConnections: Int
    /// Open TCP connections from one remote IP address (`max-connections-per-address`).
    public var maxConnectionsPerAddress: Int
    /// Live calls a user may have placed at once (`max-calls-per-user`).
    public var maxCallsPerUser: Int
    /// Events per second per device connection; 0 is no limit (`rate-limit`).
    public var rateLimit: Int
    /// Events a device connection may send at once: the token bucket's size (`rate-burst`).
    public var rateBurst: Int
    /// Open Engine.IO sessions on the polling transport (`max-polling-sessions`).
    public var maxPollingSessions: Int
    /// How long an HTTP request's head and body may take to arrive (`request-timeout`).
    public var requestTimeout: Duration
    /// How long a keep-alive HTTP connection may wait for its next request (`idle-timeout`).
    public var idleTimeout: Duration
    /// Whether `auth none` may listen on a non-loopback address (`allow-remote-without-auth`).
    public var allowRemoteWithoutAuth: Bool
    /// Where each setting's value came from.
    public var sources: [Key: Source]
    /// What these settings were loaded from, so a reload (SIGHUP, `config.reload`) reads the same
    /// command line and environment and only the config file's changes show.
    public var inputs: Inputs
    /// Things worth telling the operator that do not stop the daemon, such as an unknown
    /// `DIALTONE_` variable.
    public var warnings: [String]
}

extension Settings {
    /// How devices authenticate.
    public enum Auth: Sendable, Equatable {
        /// The userId is taken from the device's own claim (development).
        case none
        /// Devices present a JWT, `sub` being the userId: HS256 signed with the secret, or RS256 or
        /// ES256 signed with the private half of the public key. At least one of the two is set.
        case jwt(secret: Secret? = nil, publicKey: TokenPublicKey? = nil)
    }

    /// A secret that never shows itself in logs or descriptions.
    public struct Secret: Sendable, Equatable, CustomStringConvertible {
        /// The secret itself: use it, never print it. A secret file may hold any bytes.
        public let bytes: [UInt8]

        public init(bytes: [UInt8]) { self.bytes = bytes }

        public init(_ text: String) { self.bytes = Array(text.utf8) }

        public var description: String { "<redacted>" }
    }

    /// Where log lines go: the systemd module decides what `auto` means for this process.
    public typealias LogTarget = DialtoneSystemd.LogTarget

    /// The origins the polling transport answers CORS requests for.
    public enum CORSOrigins: Sendable, Equatable {
        /// Any origin (`*`).
        case any
        /// Exactly these origins, such as `https://app.example.com`.
        case only([String])
    }
}
