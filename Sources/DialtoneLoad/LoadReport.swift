/// The figures of one run. Optional figures are nil when they could not be measured (no
/// `--pid`, nothing received).
public struct LoadReport: Sendable {
    public var mode: LoadMode
    public var connections: Int
    public var pairs: Int
    public var window: Int
    /// Connections that completed the handshake and registration.
    public var connected = 0
    public var failed = 0
    /// Ready connections the server closed before the end.
    public var dropped = 0
    /// Idle: ready connections at the end, and how many of them answered at least one ping.
    public var aliveAtEnd = 0
    public var alivePinged = 0
    public var pings = 0
    public var connectSeconds: Double?
    /// The measured window (idle: the hold) in seconds.
    public var measuredSeconds = 0.0
    public var activePairs = 0
    public var sent = 0
    public var received = 0
    /// Relay: messages received in the measured window; calls: lifecycles completed in it.
    public var measured = 0
    public var completedTotal = 0
    public var unfinished = 0
    public var badAcks = 0
    public var errors = 0
    public var latency = LatencyHistogram()
    public var serverRSSBeforeKB: Int?
    public var serverRSSConnectedKB: Int?
    public var serverRSSEndKB: Int?
    /// 100 = one full core, over the measured window.
    public var serverCPUPercent: Double?
    public var generatorCPUPercent: Double?
    public var wallSeconds = 0.0

    public init(mode: LoadMode, connections: Int, pairs: Int, window: Int) {
        self.mode = mode
        self.connections = connections
        self.pairs = pairs
        self.window = window
    }

    /// Relay: messages per second; calls: lifecycles per second (over the measured window).
    public var rate: Double { measuredSeconds > 0 ? Double(measured) / measuredSeconds : 0 }

    /// Server CPU time per relayed message or per call, in microseconds.
    public var serverCPUMicrosecondsPerUnit: Double? {
        guard let serverCPUPercent, rate > 0 else { return nil }
        return serverCPUPercent / 100 * 1e6 / rate
    }

    /// Idle: the server's RSS growth per alive connection, from before connecting to the end.
    public var bytesPerConnection: Double? {
        guard let before = serverRSSBeforeKB, let end = serverRSSEndKB, aliveAtEnd > 0 else { return nil }
        return Double(end - before) * 1024 / Double(aliveAtEnd)
    }

    /// Idle: the same, measured right after connecting.
    public var bytesPerConnectionConnected: Double? {
        guard let before = serverRSSBeforeKB, let connected = serverRSSConnectedKB, aliveAtEnd > 0 else { return nil }
        return Double(connected - before) * 1024 / Double(aliveAtEnd)
    }
}
