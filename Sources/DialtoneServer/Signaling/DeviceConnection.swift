import DialtoneJSON

/// A device's transport connection as the hub sees it: Socket.IO or `/ws`, the hub can't tell.
///
/// Both calls are made outside the hub's lock and must only enqueue: a transport that wrote and
/// closed synchronously could re-enter the hub from its close handler.
public protocol DeviceConnection: AnyObject, Sendable {
    func send(event: String, payload: JSON)
    /// Sends `payload`, an object one of whose members is also given as the JSON text it arrived
    /// in, for a transport that can pass that text on instead of serialising the member again.
    func send(event: String, payload: JSON, verbatim: VerbatimMember)
    /// Sends a relayed message; the default sends ``RelayMessage/payload`` as any other event.
    func send(relay message: RelayMessage)
    func close(reason: String)
}

extension DeviceConnection {
    public func send(relay message: RelayMessage) {
        send(event: message.kind.event, payload: message.payload, verbatim: message.body)
    }

    /// Transports with another encoding than the sender's serialise the member as usual.
    public func send(event: String, payload: JSON, verbatim: VerbatimMember) {
        send(event: event, payload: payload)
    }
}

/// A member of a relayed payload as the sender's JSON text: `text` is what `key` holds in the
/// payload, written the way the sender wrote it.
public struct VerbatimMember: Sendable {
    public let key: String
    public let text: Substring

    public init(key: String, text: Substring) {
        self.key = key
        self.text = text
    }
}
