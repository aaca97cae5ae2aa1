import DialtoneJSON

/// Something the owner of the core must do after a transition, in order.
public enum Action: Sendable, Equatable {
    /// Emit `event` with `payload` to one device (a Socket.IO event or a `/ws` notification).
    case send(DeviceID, event: String, payload: JSON)
    /// Close the device's connection; its `disconnect` follows as usual.
    case close(DeviceID, reason: String)
}
