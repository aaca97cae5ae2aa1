/// Holds a route's answers back until something the process does once it serves has finished
/// (the daemon reads its history file after READY). While open it costs one check per request,
/// and the answer is given on the event loop as for any route.
public struct HTTPRouteGate: Sendable {
    /// Whether answers may be given now.
    public var isOpen: @Sendable () -> Bool
    /// Returns once answers may be given.
    public var wait: @Sendable () async -> Void

    public init(isOpen: @escaping @Sendable () -> Bool, wait: @escaping @Sendable () async -> Void) {
        self.isOpen = isOpen
        self.wait = wait
    }

    public static let open = HTTPRouteGate(isOpen: { true }, wait: {})
}
