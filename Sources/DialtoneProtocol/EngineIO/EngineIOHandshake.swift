/// The data of the `open` packet that starts every Engine.IO session.
public struct EngineIOHandshake: Sendable, Hashable {
    public var sid: String
    /// Transports the client may upgrade to: `["websocket"]` for a polling session, empty for a
    /// session that opened on WebSocket.
    public var upgrades: [String]
    public var pingInterval: Duration
    public var pingTimeout: Duration
    public var maxPayload: Int

    public init(sid: String, upgrades: [String], pingInterval: Duration, pingTimeout: Duration, maxPayload: Int) {
        self.sid = sid
        self.upgrades = upgrades
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.maxPayload = maxPayload
    }

    /// The JSON text of the handshake. Built by hand because every field is a number or one of
    /// our own identifiers, which never need escaping (``EngineIOSessionID`` makes them).
    public var jsonText: String {
        let upgradeList = upgrades.map { "\"\($0)\"" }.joined(separator: ",")
        return "{\"sid\":\"\(sid)\",\"upgrades\":[\(upgradeList)],\"pingInterval\":\(pingInterval.milliseconds)"
            + ",\"pingTimeout\":\(pingTimeout.milliseconds),\"maxPayload\":\(maxPayload)}"
    }

    /// The complete `open` packet text.
    public var packetText: String { "0" + jsonText }
}

extension Duration {
    /// Whole milliseconds, as Engine.IO writes its intervals.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
