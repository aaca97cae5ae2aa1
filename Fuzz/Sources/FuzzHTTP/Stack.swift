import DialtoneCore
import DialtoneJSON
import DialtoneServer
import FuzzSupport
import Logging
import NIOEmbedded

/// One daemon's HTTP side as `Daemon.run` wires it (HTTP API, `/ws`, Socket.IO on Engine.IO),
/// on an embedded event loop, over a core that already holds a ringing and an active call, with
/// small limits so that the fuzzer reaches every refusal.
struct Stack {
    static let users: [UserID] = ["alice", "bob", "carol", "dave"]
    static let ringingCall = "ring-1"
    static let activeCall = "live-1"
    static let origin = "https://app.example"

    let loop = EmbeddedEventLoop()
    let hub: SignalingHub
    let server: HTTPServer
    let socketIO: SocketIOServer
    let requiresTokens: Bool

    init(requiresTokens: Bool) {
        self.requiresTokens = requiresTokens
        let clock = ManualClock(Timestamp(milliseconds: 1_764_000_000_000))
        hub = SignalingHub(core: Self.seededCore(now: clock.now()), clock: clock, timerLoop: loop)
        let authenticator: Authenticator =
            requiresTokens ? .jwt(TokenVerifier(secret: Tokens.secret, clock: clock)) : .none
        var router = HTTPRouter()
        HTTPAPI(hub: hub, version: "fuzz", startedAt: clock.now(), clock: clock, authenticator: authenticator) {
            Array("# no metrics\n".utf8)
        }.register(in: &router)
        router.webSocket("/ws") { [hub] request, connection in
            DeviceWebSocket(
                request: request, connection: connection, hub: hub, authenticator: authenticator,
                rateLimit: RateLimit(eventsPerSecond: 50, burst: 8))
        }
        var engine = EngineIOServer.Configuration(path: "/socket.io/")
        engine.maxPayload = 2_048
        engine.maxPollingSessions = 4
        engine.maxPollingBuffer = 8_192
        let logger = Logger(label: "fuzz")
        socketIO = SocketIOServer(configuration: SocketIOServer.Configuration(engine: engine), logger: logger)
        socketIO.register(
            "/", handler: SignalingNamespace(hub: hub, authenticator: authenticator, rateLimit: .off))
        router.mount(socketIO.engine)

        var configuration = HTTPServer.Configuration(listeners: [])
        configuration.maxBodySize = 1_024
        configuration.limits.requestTimeout = .seconds(10)
        configuration.limits.idleTimeout = .seconds(60)
        configuration.limits.origins = .only([Self.origin])
        server = HTTPServer(configuration: configuration, router: router, group: loop, logger: logger)
    }

    /// alice rings bob (`ring-1`); carol and dave are talking (`live-1`). Their devices have ids
    /// from the top of the range: the hub numbers the devices that connect from 1.
    private static func seededCore(now: Timestamp) -> SignalingCore {
        var core = SignalingCore(now: now, random: SplitMix(seed: 1))
        let device = Dictionary(uniqueKeysWithValues: users.enumerated().map { ($1, DeviceID(UInt64.max - UInt64($0))) })
        for user in users { _ = core.connect(device[user]!, identity: .verified(user), now: now) }
        _ = core.handle(
            .call(to: ["bob"], callId: ringingCall, offer: nil, media: .audio, metadata: nil), from: device["alice"]!,
            now: now)
        _ = core.handle(
            .call(to: ["dave"], callId: activeCall, offer: nil, media: .video, metadata: nil), from: device["carol"]!,
            now: now)
        _ = core.handle(.acceptCall(callId: activeCall, answer: nil), from: device["dave"]!, now: now)
        precondition(core.liveCalls().count == 2 && core.call(activeCall)?.state == .active, "seeding the core failed")
        return core
    }
}
