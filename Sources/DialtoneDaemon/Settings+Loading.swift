import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Settings {
    /// What settings are read from, besides the config file they may name.
    public struct Inputs: Sendable, Equatable {
        /// Command-line values by setting, in the order given; list settings may repeat.
        public var options: [Key: [String]]
        /// The process environment.
        public var environment: [String: String]
        /// The config file read when none is named and it exists.
        public var defaultConfigPath: String

        public init(
            options: [Key: [String]] = [:],
            environment: [String: String],
            defaultConfigPath: String = "/etc/dialtone/dialtone.json"
        ) {
            self.options = options
            self.environment = environment
            self.defaultConfigPath = defaultConfigPath
        }
    }

    /// The limits each setting must stay within.
    enum Limits {
        static let ringTimeout = Duration.milliseconds(1)...Duration.seconds(3600)
        static let reconnectGrace = Duration.zero...Duration.seconds(3600)
        static let historySaveInterval = Duration.milliseconds(100)...Duration.seconds(86_400)
        static let heartbeat: ClosedRange<Int64> = 1...3_600_000
        static let maxPayload: ClosedRange<Int64> = 1...1_073_741_824
        static let eventLoops: ClosedRange<Int64> = 0...1024
        static let historyLimit: ClosedRange<Int64> = 0...10_000_000
        static let connections: ClosedRange<Int64> = 1...10_000_000
        static let callsPerUser: ClosedRange<Int64> = 1...100_000
        static let rate: ClosedRange<Int64> = 0...10_000_000
        static let burst: ClosedRange<Int64> = 1...10_000_000
        static let requestTimeout = Duration.milliseconds(100)...Duration.seconds(3600)
        static let idleTimeout = Duration.milliseconds(100)...Duration.seconds(86_400)
        /// `sun_path` holds 108 bytes including the terminating NUL.
        static let socketPathBytes = 107
    }

    /// Reads, merges and validates every setting: config file < environment < options < nothing
    /// given (the default).
    ///
    /// - Throws: ``SettingsError`` listing every bad value, each naming the setting and its source.
    public static func load(_ inputs: Inputs) throws(SettingsError) -> Settings {
        let (file, fileSource, fileProblems) = configFile(inputs)
        var parser = SettingsParser(
            sources: SettingsSources(options: inputs.options, environment: inputs.environment, file: file)
        )
        parser.record(.config, fileSource)
        for problem in fileProblems { parser.report(problem) }

        let listen = parser.listenAddresses()
        let stateDirectory =
            parser.path(.stateDir, missing: "has no default without STATE_DIRECTORY, XDG_STATE_HOME or HOME") {
                defaultStateDirectory(environment: inputs.environment)
            } ?? ""
        let controlSocket =
            parser.path(.controlSocket, missing: "has no default") {
                defaultControlSocket(environment: inputs.environment, stateDirectory: stateDirectory)
            } ?? ""
        if controlSocket.utf8.count > Limits.socketPathBytes {
            parser.report(
                .invalid(
                    .controlSocket, value: parser.quoted(controlSocket),
                    source: parser.recorded[.controlSocket] ?? .builtIn,
                    reason: "is longer than the \(Limits.socketPathBytes) bytes a Unix socket path can have"))
        }
        let ringTimeout = parser.seconds(.ringTimeout, default: .seconds(30), range: Limits.ringTimeout)
        let reconnectGrace = parser.seconds(.reconnectGrace, default: .seconds(20), range: Limits.reconnectGrace)
        let pingInterval = parser.milliseconds(.pingInterval, default: 25_000, range: Limits.heartbeat)
        let pingTimeout = parser.milliseconds(.pingTimeout, default: 20_000, range: Limits.heartbeat)
        let connectTimeout = parser.milliseconds(.connectTimeout, default: 45_000, range: Limits.heartbeat)
        let maxPayload = parser.integer(.maxPayload, default: 1_000_000, range: Limits.maxPayload, unit: "bytes")
        let eventLoops = parser.integer(.eventLoops, default: 0, range: Limits.eventLoops, unit: "event loops")
        let (auth, jwtSecretFile, jwtPublicKeyFile, authWarning) = parser.authentication()
        let logLevel = parser.choice(.logLevel, default: Logger.Level.info)
        let logTarget = parser.choice(.logTarget, default: LogTarget.auto)
        let historyLimit = parser.integer(.historyLimit, default: 100_000, range: Limits.historyLimit, unit: "calls")
        let historySaveInterval = parser.seconds(
            .historySaveInterval, default: .seconds(30), range: Limits.historySaveInterval)
        let iceServers = parser.iceServers()
        let corsOrigins = parser.corsOrigins()
        let maxConnections = parser.integer(
            .maxConnections, default: 10_000, range: Limits.connections, unit: "connections")
        let maxConnectionsPerAddress = parser.integer(
            .maxConnectionsPerAddress, default: 200, range: Limits.connections, unit: "connections")
        let maxCallsPerUser = parser.integer(.maxCallsPerUser, default: 10, range: Limits.callsPerUser, unit: "calls")
        let rateLimit = parser.integer(.rateLimit, default: 50, range: Limits.rate, unit: "events per second")
        let rateBurst = parser.integer(.rateBurst, default: 200, range: Limits.burst, unit: "events")
        let maxPollingSessions = parser.integer(
            .maxPollingSessions, default: 5000, range: Limits.connections, unit: "sessions")
        let requestTimeout = parser.seconds(.requestTimeout, default: .seconds(10), range: Limits.requestTimeout)
        let idleTimeout = parser.seconds(.idleTimeout, default: .seconds(60), range: Limits.idleTimeout)
        let allowRemoteWithoutAuth = parser.boolean(.allowRemoteWithoutAuth, default: false)
        if case .none = auth, !allowRemoteWithoutAuth {
            for address in listen where !address.isLoopback {
                parser.report(.remoteWithoutAuth(address.description))
            }
        }

        guard parser.problems.isEmpty else { throw SettingsError(problems: parser.problems) }
        return Settings(
            configFile: file?.path,
            listen: listen,
            controlSocket: controlSocket,
            stateDirectory: stateDirectory,
            ringTimeout: ringTimeout,
            reconnectGrace: reconnectGrace,
            pingInterval: pingInterval,
            pingTimeout: pingTimeout,
            connectTimeout: connectTimeout,
            maxPayload: Int(maxPayload),
            eventLoops: Int(eventLoops),
            auth: auth,
            jwtSecretFile: jwtSecretFile,
            jwtPublicKeyFile: jwtPublicKeyFile,
            logLevel: logLevel,
            logTarget: logTarget,
            historyLimit: Int(historyLimit),
            historySaveInterval: historySaveInterval,
            iceServers: iceServers,
            corsOrigins: corsOrigins,
            maxConnections: Int(maxConnections),
            maxConnectionsPerAddress: Int(maxConnectionsPerAddress),
            maxCallsPerUser: Int(maxCallsPerUser),
            rateLimit: Int(rateLimit),
            rateBurst: Int(rateBurst),
            maxPollingSessions: Int(maxPollingSessions),
            requestTimeout: requestTimeout,
            idleTimeout: idleTimeout,
            allowRemoteWithoutAuth: allowRemoteWithoutAuth,
            sources: parser.recorded,
            inputs: inputs,
            warnings: unknownVariables(inputs.environment) + [authWarning].compactMap { $0 }
        )
    }

    /// Loads the settings again from the same inputs, for a reload: the config file is read anew.
    public func reloaded() throws(SettingsError) -> Settings {
        try Settings.load(inputs)
    }

    /// The config file named by `--config` or `DIALTONE_CONFIG`, which must then exist, or the
    /// default one when it exists.
    private static func configFile(
        _ inputs: Inputs
    ) -> (file: ConfigFile?, source: Source, problems: [SettingsError.Problem]) {
        let named = SettingsSources(options: inputs.options, environment: inputs.environment, file: nil)
            .value(of: .config)
        if let named, case .text(let path) = named.value {
            guard !path.isEmpty else {
                return (nil, named.source, [.invalid(.config, value: "\"\"", source: named.source, reason: "is empty")])
            }
            let (file, problems) = ConfigFile.read(path: path, source: named.source)
            return (file, named.source, problems)
        }
        guard access(inputs.defaultConfigPath, F_OK) == 0 else { return (nil, .builtIn, []) }
        let (file, problems) = ConfigFile.read(path: inputs.defaultConfigPath, source: .builtIn)
        return (file, .builtIn, problems)
    }

    /// `DIALTONE_` variables that name no setting: likely typos, worth a warning. Not an error,
    /// since other dialtone tools may read variables of their own.
    private static func unknownVariables(_ environment: [String: String]) -> [String] {
        let known = Set(Key.allCases.map(\.environmentName))
        return environment.keys.filter { $0.hasPrefix("DIALTONE_") && !known.contains($0) }.sorted().map { name in
            let guess = Key.closest(to: String(name.dropFirst("DIALTONE_".count)).replacing("_", with: "-"))
            return "\(name) is not a setting and is ignored"
                + (guess.map { " (did you mean \($0.environmentName)?)" } ?? "")
        }
    }
}
