import ArgumentParser
import DialtoneLoad
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

@main
struct DialtoneLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialtone-load",
        abstract: "Load a dialtoned (or any server of its Socket.IO events) for capacity planning.",
        discussion: """
            Speaks Engine.IO v4 / Socket.IO v5 over WebSocket at <path>?EIO=4&transport=websocket, \
            registers each connection through the CONNECT auth payload {userId}, and drives one mode:

              idle   Open N connections, hold them --hold seconds answering every ping, then report \
            how many are still connected and how many answered a ping; with --pid, the server's \
            memory per connection and CPU while holding. Hold longer than the server's ping \
            interval (25 s by default) so that every connection is pinged.
              relay  N caller/callee pairs each set up one call (call, incoming_call, accept_call, \
            call_accepted), then every caller streams ice_candidate events to its callee, --window \
            in flight per pair. Reports relayed messages/s over --duration after --warmup, the \
            relay latency percentiles (the send time travels in the candidate), and with --pid the \
            server CPU per relayed message.
              calls  N pairs loop the full lifecycle: call, incoming_call, accept_call, \
            call_accepted, --ice-per-direction ice_candidate events each way, end_call, call_ended. \
            Reports completed calls/s, lifecycle latency (call sent to call_ended at the callee) \
            and server CPU per call.

            The options are sioload's, letter for letter (-n count, -c concurrency, ...). \
            The target must be a loopback address. Every run is bounded (connect phase 120 s, \
            handshake 30 s, call setup 30 s, drain 3 s, --time-limit). Each connection needs a file \
            descriptor: the tool raises its soft limit to the hard limit and refuses to start if \
            that is not enough. For figures you can compare, pin the server and the tool to \
            different CPUs (taskset -c 0 dialtoned ...; taskset -c 1 dialtone-load ... --pid PID).
            """
    )

    @Option(name: .shortAndLong, help: "idle, relay or calls.")
    var mode: String = LoadMode.relay.rawValue

    @Option(name: [.customShort("H"), .long], help: "Server IPv4 loopback address.")
    var host = "127.0.0.1"

    @Option(name: .shortAndLong, help: "Server port.")
    var port = 3000

    @Option(name: [.customShort("q"), .long], help: "Socket.IO path.")
    var path = "/socket.io/"

    @Option(name: [.customShort("n"), .long], help: "idle: connections; relay and calls: pairs of users.")
    var count = 100

    @Option(name: .shortAndLong, help: "relay, calls: measured seconds.")
    var duration = 10.0

    @Option(name: .shortAndLong, help: "relay, calls: warm-up seconds before the measured window.")
    var warmup = 2.0

    @Option(name: [.customShort("T"), .long], help: "idle: seconds to hold the connections.")
    var hold = 30.0

    @Option(name: [.customShort("W"), .long], help: "relay: ice_candidate events in flight per pair.")
    var window = 4

    @Option(name: [.customShort("i"), .long], help: "calls: ice_candidate events each side sends per call.")
    var icePerDirection = 4

    @Option(name: [.customShort("c"), .long], help: "Handshakes in progress at once.")
    var concurrency = 256

    @Option(
        name: [.customShort("s"), .long],
        help: "Spread connections over source addresses 127.0.0.1...127.0.0.N (default 1 + connections/10000).")
    var sources: Int?

    @Option(name: [.customShort("P"), .long], help: "Server process id: report its RSS and CPU from /proc.")
    var pid: Int32?

    @Option(name: [.customShort("z"), .long], help: "Bytes of each ICE candidate string.")
    var candidateBytes = 200

    @Option(name: [.customShort("o"), .long], help: "Bytes of each offer and answer SDP.")
    var sdpBytes = 400

    @Option(name: [.customShort("u"), .long], help: "User id prefix (default L<pid of this tool>): user ids are <prefix>_<n>.")
    var userPrefix: String?

    @Option(name: [.customShort("X"), .long], help: "Stop after this many seconds whatever the phase.")
    var timeLimit = 300.0

    @Flag(name: .long, help: "Print the report as one JSON object instead of a table.")
    var json = false

    mutating func run() throws {
        guard let mode = LoadMode(rawValue: mode) else {
            throw ValidationError("mode must be idle, relay or calls, not \(mode)")
        }
        var settings = LoadConfiguration()
        settings.mode = mode
        settings.host = host
        settings.port = port
        settings.path = path
        settings.count = count
        settings.duration = .milliseconds(Int64(duration * 1000))
        settings.warmup = .milliseconds(Int64(warmup * 1000))
        settings.hold = .milliseconds(Int64(hold * 1000))
        settings.window = window
        settings.icePerDirection = icePerDirection
        settings.concurrency = concurrency
        settings.sourceAddresses = sources
        settings.serverPID = pid
        settings.candidateBytes = candidateBytes
        settings.sdpBytes = sdpBytes
        settings.userPrefix = userPrefix ?? "L\(getpid())"
        settings.timeLimit = .milliseconds(Int64(timeLimit * 1000))
        if let problem = settings.problem { throw ValidationError(problem) }
        try Self.raiseFileLimit(toFit: settings.connections)
        signal(SIGPIPE, SIG_IGN)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let report = try LoadDriver.run(settings, on: group.next()).wait()
        print(json ? report.json.serialized() : report.table)
    }

    /// One descriptor per connection plus a few for the tool itself.
    static func raiseFileLimit(toFit connections: Int) throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let needed = rlim_t(connections + 32)
        guard limit.rlim_cur >= needed else {
            throw ValidationError("needs \(needed) file descriptors; the limit is \(limit.rlim_cur) (raise it with ulimit -n)")
        }
    }
}
