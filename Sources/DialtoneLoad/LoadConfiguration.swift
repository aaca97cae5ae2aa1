/// Everything one load run needs; the defaults are sioload's.
public struct LoadConfiguration: Sendable {
    public var mode: LoadMode = .relay
    /// An IPv4 loopback address: the tool refuses anything else.
    public var host = "127.0.0.1"
    public var port = 3000
    /// The Socket.IO path of the server.
    public var path = "/socket.io/"
    /// Idle: connections. Relay and calls: caller/callee pairs.
    public var count = 100
    /// Relay and calls: the measured window, after `warmup`.
    public var duration: Duration = .seconds(10)
    public var warmup: Duration = .seconds(2)
    /// Idle: how long to hold; more than the server's ping interval so that every client is pinged.
    public var hold: Duration = .seconds(30)
    /// Relay: `ice_candidate` events in flight per pair.
    public var window = 4
    /// Calls: `ice_candidate` events each side sends per call.
    public var icePerDirection = 4
    /// Handshakes in progress at once.
    public var concurrency = 256
    /// Source addresses 127.0.0.1...127.0.0.n; nil picks 1 + connections / 10,000.
    public var sourceAddresses: Int?
    /// A process whose RSS and CPU are read from /proc over the measured window.
    public var serverPID: Int32?
    public var candidateBytes = 200
    public var sdpBytes = 400
    /// User ids are `<prefix>_<connection index>`.
    public var userPrefix = "L"
    /// The run stops at this time whatever its phase.
    public var timeLimit: Duration = .seconds(300)

    public init() {}

    /// How many WebSocket connections the run opens.
    public var connections: Int { mode == .idle ? count : 2 * count }

    /// How many pairs the run drives (none when idle).
    public var pairs: Int { mode == .idle ? 0 : count }

    /// The source addresses to spread connections over: one per 10,000 so that no address runs
    /// out of ephemeral ports, at most 250.
    public var effectiveSourceAddresses: Int {
        min(250, max(1, sourceAddresses ?? (1 + connections / 10_000)))
    }

    /// A description of what is wrong with these settings, or nil when a run can start.
    public var problem: String? {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        if octets.count != 4 || octets.contains(nil) { return "host must be an IPv4 address, not \(host)" }
        if octets[0] != 127 { return "refusing non-loopback target \(host)" }
        if !(1...65535).contains(port) { return "port must be 1...65535" }
        if count < 1 { return "count must be at least 1" }
        if window < 1 { return "window must be at least 1" }
        if icePerDirection < 0 { return "ice per direction must not be negative" }
        if concurrency < 1 { return "concurrency must be at least 1" }
        if !(16...8000).contains(candidateBytes) { return "candidate bytes must be 16...8000" }
        if !(8...30000).contains(sdpBytes) { return "SDP bytes must be 8...30000" }
        if duration <= .zero || warmup < .zero || hold <= .zero || timeLimit <= .zero {
            return "durations must be positive"
        }
        if userPrefix.isEmpty || userPrefix.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            return "user prefix must be non-empty plain text"
        }
        if !path.hasPrefix("/") { return "path must start with /" }
        return nil
    }
}
