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
