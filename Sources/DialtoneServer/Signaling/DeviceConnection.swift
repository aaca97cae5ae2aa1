import DialtoneJSON

/// A device's transport connection as the hub sees it: Socket.IO or `/ws`, the hub can't tell.
///
/// Both calls are made outside the hub's lock and must only enqueue: a transport that wrote and
/// closed synchronously could re-enter the hub from its close handler.
public protocol DeviceConnection: AnyObject, Sendable {
    func send(event: String, payload: JSON)
    func close(reason: String)
}
