import DialtoneJSON

/// What a method handler works with: its validated params, the backend, and the calling
/// connection's subscription, which `events.subscribe` and `events.unsubscribe` change.
struct ControlInvocation {
    let params: JSONObject
    let backend: any ControlBackend
    /// The connection's event filter; `nil` when not subscribed.
    var subscription: ControlEventFilter?
    /// The OpenRPC document, for `rpc.discover`.
    let discovery: JSON
}
