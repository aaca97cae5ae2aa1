extension Settings {
    /// The effective settings for `dialtoned --check-config`: one `name = value (source)` line per
    /// setting, in a form the setting accepts back, with secrets redacted.
    public var report: [String] {
        Key.allCases.map { key in "\(key.name) = \(displayValue(of: key)) (\(sources[key] ?? .builtIn))" }
    }

    private func displayValue(of key: Key) -> String {
        switch key {
        case .config: configFile ?? "<none>"
        case .listen: listen.map(\.description).joined(separator: ",")
        case .controlSocket: controlSocket
        case .stateDir: stateDirectory
        case .ringTimeout: Self.secondsText(ringTimeout)
        case .reconnectGrace: Self.secondsText(reconnectGrace)
        case .pingInterval: Self.millisecondsText(pingInterval)
        case .pingTimeout: Self.millisecondsText(pingTimeout)
        case .connectTimeout: Self.millisecondsText(connectTimeout)
        case .maxPayload: "\(maxPayload)"
        case .eventLoops: "\(eventLoops)"
        case .auth:
            switch auth {
            case .none: "none"
            case .jwt: "jwt"
            }
        case .jwtSecret: (sources[.jwtSecret] ?? .builtIn) == .builtIn ? "<unset>" : "<redacted>"
        case .jwtSecretFile: jwtSecretFile ?? "<unset>"
        case .jwtPublicKeyFile: jwtPublicKeyFile ?? "<unset>"
        case .logLevel: logLevel.rawValue
        case .logTarget: logTarget.rawValue
        case .historyLimit: "\(historyLimit)"
        case .historySaveInterval: Self.secondsText(historySaveInterval)
        case .iceServers: iceServers.serialized()
        case .corsOrigins:
            switch corsOrigins {
            case .any: "*"
            case .only(let origins): origins.joined(separator: ",")
            }
        case .maxConnections: "\(maxConnections)"
        case .maxConnectionsPerAddress: "\(maxConnectionsPerAddress)"
        case .maxCallsPerUser: "\(maxCallsPerUser)"
        case .rateLimit: "\(rateLimit)"
        case .rateBurst: "\(rateBurst)"
        case .maxPollingSessions: "\(maxPollingSessions)"
        case .requestTimeout: Self.secondsText(requestTimeout)
        case .idleTimeout: Self.secondsText(idleTimeout)
        case .allowRemoteWithoutAuth: "\(allowRemoteWithoutAuth)"
        }
    }
}
