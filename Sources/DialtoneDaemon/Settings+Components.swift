import DialtoneCore
import DialtoneServer

extension Settings {
    /// The core's share of the settings.
    var coreConfiguration: SignalingCore.Configuration {
        SignalingCore.Configuration(
            ringTimeout: ringTimeout, reconnectGrace: reconnectGrace, historyLimit: historyLimit, iceServers: iceServers)
    }

    /// The device endpoint at `/socket.io/`.
    var socketIOConfiguration: SocketIOServer.Configuration {
        var engine = EngineIOServer.Configuration(path: "/socket.io/")
        engine.pingInterval = pingInterval
        engine.pingTimeout = pingTimeout
        engine.maxPayload = maxPayload
        switch corsOrigins {
        case .any: engine.cors = .anyOrigin
        case .only(let origins): engine.cors = .origins(Set(origins))
        }
        var configuration = SocketIOServer.Configuration(engine: engine)
        configuration.connectTimeout = connectTimeout
        return configuration
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
            || historySaveInterval != other.historySaveInterval
    }
}
