extension Settings {
    /// A setting's name: the key in the config file, `DIALTONE_<NAME>` in the environment (upper
    /// case, `-` as `_`) and `--<name>` on the command line.
    public enum Key: String, Sendable, CaseIterable {
        case config
        case listen
        case controlSocket = "control-socket"
        case stateDir = "state-dir"
        case ringTimeout = "ring-timeout"
        case reconnectGrace = "reconnect-grace"
        case pingInterval = "ping-interval"
        case pingTimeout = "ping-timeout"
        case connectTimeout = "connect-timeout"
        case maxPayload = "max-payload"
        case eventLoops = "event-loops"
        case auth
        case jwtSecret = "jwt-secret"
        case jwtSecretFile = "jwt-secret-file"
        case jwtPublicKeyFile = "jwt-public-key-file"
        case logLevel = "log-level"
        case logTarget = "log-target"
        case historyLimit = "history-limit"
        case historySaveInterval = "history-save-interval"
        case iceServers = "ice-servers"
        case corsOrigins = "cors-origins"
        case maxConnections = "max-connections"
        case maxConnectionsPerAddress = "max-connections-per-address"
        case maxCallsPerUser = "max-calls-per-user"
        case rateLimit = "rate-limit"
        case rateBurst = "rate-burst"
        case maxPollingSessions = "max-polling-sessions"
        case requestTimeout = "request-timeout"
        case idleTimeout = "idle-timeout"
        case allowRemoteWithoutAuth = "allow-remote-without-auth"

        /// The name as written in the config file.
        public var name: String { rawValue }

        /// The environment variable, such as `DIALTONE_RING_TIMEOUT`.
        public var environmentName: String {
            "DIALTONE_" + rawValue.uppercased().replacing("-", with: "_")
        }

        /// The command-line option, such as `--ring-timeout`.
        public var optionName: String { "--" + rawValue }

        /// Whether the setting takes several values: a JSON array of strings in the file, a comma
        /// list in the environment, a repeated option or a comma list on the command line.
        public var isList: Bool { self == .listen || self == .corsOrigins }

        /// Whether the value is a number (a JSON number or a string of digits in the file).
        var isNumeric: Bool {
            switch self {
            case .ringTimeout, .reconnectGrace, .historySaveInterval, .pingInterval, .pingTimeout,
                .connectTimeout, .maxPayload, .eventLoops, .historyLimit, .maxConnections, .maxConnectionsPerAddress,
                .maxCallsPerUser, .rateLimit, .rateBurst, .maxPollingSessions, .requestTimeout, .idleTimeout:
                true
            default:
                false
            }
        }

        /// Whether the value is `true` or `false` (a JSON boolean in the file).
        var isBoolean: Bool { self == .allowRemoteWithoutAuth }

        /// Whether the value must never be printed.
        public var isSecret: Bool { self == .jwtSecret }

        /// The placeholder for the value in `--help`.
        public var valueName: String {
            switch self {
            case .config, .controlSocket, .stateDir, .jwtSecretFile, .jwtPublicKeyFile: "path"
            case .listen: "host:port"
            case .ringTimeout, .reconnectGrace, .historySaveInterval: "seconds"
            case .pingInterval, .pingTimeout, .connectTimeout: "ms"
            case .maxPayload: "bytes"
            case .eventLoops: "count"
            case .auth: "none|jwt"
            case .jwtSecret: "secret"
            case .logLevel: "level"
            case .logTarget: "auto|journal|stderr"
            case .historyLimit: "count"
            case .iceServers: "json"
            case .corsOrigins: "origin"
            case .maxConnections, .maxConnectionsPerAddress, .maxPollingSessions, .maxCallsPerUser: "count"
            case .rateLimit: "events/s"
            case .rateBurst: "events"
            case .requestTimeout, .idleTimeout: "seconds"
            case .allowRemoteWithoutAuth: "true|false"
            }
        }

        /// What the value must be, completing "… is not …" in error messages.
        var expectation: String {
            switch self {
            case .config, .controlSocket, .stateDir, .jwtSecretFile, .jwtPublicKeyFile: "a path"
            case .listen: "a list of host:port addresses"
            case .ringTimeout, .reconnectGrace, .historySaveInterval: "a number of seconds"
            case .pingInterval, .pingTimeout, .connectTimeout: "a whole number of milliseconds"
            case .maxPayload: "a whole number of bytes"
            case .eventLoops: "a whole number of event loops"
            case .auth: "one of none, jwt"
            case .jwtSecret: "a string"
            case .logLevel: "one of trace, debug, info, notice, warning, error, critical"
            case .logTarget: "one of auto, journal, stderr"
            case .historyLimit: "a whole number of calls"
            case .iceServers: "a JSON array of ICE servers"
            case .corsOrigins: "* or a list of origins such as https://app.example.com"
            case .maxConnections, .maxConnectionsPerAddress: "a whole number of connections"
            case .maxCallsPerUser: "a whole number of calls"
            case .rateLimit: "a whole number of events per second"
            case .rateBurst: "a whole number of events"
            case .maxPollingSessions: "a whole number of sessions"
            case .requestTimeout, .idleTimeout: "a number of seconds"
            case .allowRemoteWithoutAuth: "true or false"
            }
        }

        /// The default, as `--help` and the documentation state it.
        public var defaultDescription: String {
            switch self {
            case .config: "/etc/dialtone/dialtone.json when it exists"
            case .listen: "127.0.0.1:8080"
            case .controlSocket:
                "$RUNTIME_DIRECTORY/control.sock, else $XDG_RUNTIME_DIR/dialtone/control.sock, else <state-dir>/control.sock"
            case .stateDir: "$STATE_DIRECTORY, else $XDG_STATE_HOME/dialtone, else ~/.local/state/dialtone"
            case .ringTimeout: "30"
            case .reconnectGrace: "20"
            case .pingInterval: "25000"
            case .pingTimeout: "20000"
            case .connectTimeout: "45000"
            case .maxPayload: "1000000"
            case .eventLoops: "0"
            case .auth: "none"
            case .jwtSecret, .jwtSecretFile, .jwtPublicKeyFile: "none"
            case .logLevel: "info"
            case .logTarget: "auto"
            case .historyLimit: "100000"
            case .historySaveInterval: "30"
            case .iceServers: "[]"
            case .corsOrigins: "*"
            case .maxConnections: "10000"
            case .maxConnectionsPerAddress: "200"
            case .maxCallsPerUser: "10"
            case .rateLimit: "50"
            case .rateBurst: "200"
            case .maxPollingSessions: "5000"
            case .requestTimeout: "10"
            case .idleTimeout: "60"
            case .allowRemoteWithoutAuth: "false"
            }
        }

        /// One line for `--help` and the documentation.
        public var summary: String {
            switch self {
            case .config: "The JSON config file; a path given explicitly must exist."
            case .listen:
                "Address to serve HTTP, Socket.IO and /ws on; repeat or comma-separate for several, IPv6 as [::1]:8080."
            case .controlSocket: "Unix socket of the JSON-RPC control interface."
            case .stateDir: "Directory for history.json (created 0750 when missing)."
            case .ringTimeout: "Seconds an unanswered call rings before it ends with no_answer (decimals allowed)."
            case .reconnectGrace: "Seconds a participant whose last device dropped keeps its calls (decimals allowed)."
            case .pingInterval: "Engine.IO pingInterval in milliseconds."
            case .pingTimeout: "Engine.IO pingTimeout in milliseconds."
            case .connectTimeout: "Milliseconds a Socket.IO client may take to connect to a namespace."
            case .maxPayload: "Largest Engine.IO payload and HTTP request body, in bytes."
            case .eventLoops: "Event-loop threads serving connections; 0 means one per CPU this process may run on."
            case .auth:
                "Device authentication: none (userId as claimed) or jwt (HS256, RS256 or ES256 token, sub = userId)."
            case .jwtSecret: "HS256 secret for auth jwt; prefer jwt-secret-file, which other users cannot see in ps."
            case .jwtSecretFile: "File holding the HS256 secret (trailing newlines ignored)."
            case .jwtPublicKeyFile:
                "PEM public key for auth jwt: RSA of 2048 bits or more verifies RS256 tokens, EC P-256 verifies ES256."
            case .logLevel: "Least severe level logged: trace, debug, info, notice, warning, error or critical."
            case .logTarget: "auto (the journal when systemd connected stderr to it), journal or stderr."
            case .historyLimit: "Ended calls kept in the history; the oldest go first."
            case .historySaveInterval: "Seconds between saves of a changed history (decimals allowed)."
            case .iceServers: "JSON array of ICE servers given to devices, e.g. [{\"urls\":\"stun:stun.example.com\"}]."
            case .corsOrigins:
                "Browser origins allowed to poll and to open WebSockets (others get 403; requests without Origin "
                    + "pass): * or a comma list such as https://app.example.com."
            case .maxConnections:
                "Open TCP connections on the HTTP listeners in all; beyond it a new one gets 503 and is closed."
            case .maxConnectionsPerAddress:
                "Open TCP connections from one remote IP address; beyond it a new one gets 429 and is closed."
            case .maxCallsPerUser:
                "Ringing and active calls a user may have placed at once; beyond it call fails with rate_limited."
            case .rateLimit:
                "Events per second per device connection (Socket.IO events, /ws requests); 0 turns rate limiting off."
            case .rateBurst:
                "Events a device connection may send at once before rate-limit applies (the token bucket's size)."
            case .maxPollingSessions: "Open Engine.IO polling sessions; a new polling handshake beyond it gets 503."
            case .requestTimeout:
                "Seconds an HTTP request's head and body may take to arrive; then 408 and close (decimals allowed)."
            case .idleTimeout:
                "Seconds a keep-alive HTTP connection may wait for its next request before it is closed (decimals allowed)."
            case .allowRemoteWithoutAuth:
                "Allow listening on a non-loopback address with auth none (anyone can claim any userId)."
            }
        }
    }
}

extension Settings.Key {
    /// The setting a misspelt name most likely meant, if any is close enough.
    static func closest(to name: String) -> Settings.Key? {
        let candidates = allCases.map { (key: $0, distance: editDistance(name.lowercased(), $0.name)) }
        guard let best = candidates.min(by: { $0.distance < $1.distance }), best.distance <= 3 else { return nil }
        return best.key
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    private static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let lhs = Array(lhs.utf8)
        let rhs = Array(rhs.utf8)
        var previous = Array(0...rhs.count)
        for (row, left) in lhs.enumerated() {
            var current = [row + 1] + Array(repeating: 0, count: rhs.count)
            for (column, right) in rhs.enumerated() {
                current[column + 1] = Swift.min(
                    previous[column + 1] + 1,
                    current[column] + 1,
                    previous[column] + (left == right ? 0 : 1)
                )
            }
            previous = current
        }
        return previous[rhs.count]
    }
}
