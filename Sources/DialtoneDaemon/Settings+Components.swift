import DialtoneCore
import DialtoneServer

extension Settings {
    /// The core's share of the settings.
    var coreConfiguration: SignalingCore.Configuration {
        SignalingCore.Configuration(
            ringTimeout: ringTimeout, reconnectGrace: reconnectGrace, historyLimit: historyLimit,
            iceServers: iceServers, maxCallsPerUser: maxCallsPerUser)
    }

    /// The device endpoint at `/socket.io/`.
    var socketIOConfiguration: SocketIOServer.Configuration {
        var engine = EngineIOServer.Configuration(path: "/socket.io/")
        engine.pingInterval = pingInterval
        engine.pingTimeout = pingTimeout
        engine.maxPayload = maxPayload
        engine.maxPollingSessions = maxPollingSessions
        switch corsOrigins {
        case .any: engine.cors = .anyOrigin
        case .only(let origins): engine.cors = .origins(Set(origins))
        }
        var configuration = SocketIOServer.Configuration(engine: engine)
        configuration.connectTimeout = connectTimeout
        return configuration
    }

    /// The HTTP listener's limits: connections, slow and idle requests, browser origins.
    var connectionLimits: HTTPServer.Limits {
        var limits = HTTPServer.Limits()
        limits.maxConnections = maxConnections
        limits.maxConnectionsPerAddress = maxConnectionsPerAddress
        limits.requestTimeout = requestTimeout
        limits.idleTimeout = idleTimeout
        switch corsOrigins {
        case .any: limits.origins = .any
        case .only(let origins): limits.origins = .only(Set(origins))
        }
        return limits
    }

    /// The per-connection event rate of devices; off when `rate-limit` is 0.
    var deviceRateLimit: RateLimit {
        RateLimit(eventsPerSecond: rateLimit, burst: rateBurst)
    }
}

extension Settings {
    /// Whether `self` differs from `other` in a setting that only a restart applies: the
    /// listeners, paths, transport limits and authentication.
    func needsRestart(comparedTo other: Settings) -> Bool {
        listen != other.listen || controlSocket != other.controlSocket || stateDirectory != other.stateDirectory
            || auth != other.auth || pingInterval != other.pingInterval || pingTimeout != other.pingTimeout
            || connectTimeout != other.connectTimeout || maxPayload != other.maxPayload
            || eventLoops != other.eventLoops
            || corsOrigins != other.corsOrigins || logTarget != other.logTarget
            || historySaveInterval != other.historySaveInterval || connectionLimits != other.connectionLimits
            || deviceRateLimit != other.deviceRateLimit || maxPollingSessions != other.maxPollingSessions
    }
}
