import NIOCore

/// Runs one load. All of its connections and all of its state live on one event loop, like
/// sioload's single epoll thread: no locks, and the phases advance on a 5 ms tick. Bounded like
/// sioload: connect phase ≤ 120 s, handshake ≤ 30 s, call setup ≤ 30 s, drain ≤ 3 s, hang-up
/// ≤ 3 s, and the configuration's time limit.
public final class LoadDriver: @unchecked Sendable {
    enum ConnectionState {
        case waiting, connecting, awaitingConnectAck, ready, closed
    }

    struct Connection {
        var channel: (any Channel)?
        var state = ConnectionState.waiting
        var openedAt: UInt64 = 0
        var pings = 0
    }

    enum Phase {
        case connect, setup, run, drain, hangUp, hold, done
    }

    static let connectPhaseLimit: UInt64 = 120_000_000_000
    static let handshakeLimit: UInt64 = 30_000_000_000
    static let setupLimit: UInt64 = 30_000_000_000
    static let drainLimit: UInt64 = 3_000_000_000

    let configuration: LoadConfiguration
    let eventLoop: any EventLoop
    let upgradeRequest: String
    let frames: SignalingFrames
    let sampler: ProcessSampler?
    let promise: EventLoopPromise<LoadReport>
    var connections: [Connection]
    var pairs: [LoadPair]
    var userIds: [String]
    /// Relay: each pair's `ice_candidate` message up to the timestamp, built once per call.
    var icePrefixes: [(callId: String, bytes: [UInt8])?]
    var report: LoadReport
    var phase = Phase.connect
    var nextToOpen = 0
    var handshakes = 0
    var readyCount = 0
    var dirty: [Int] = []
    var flushScheduled = false
    var ticker: RepeatedTask?
    var startedAt: UInt64 = 0
    var phaseStartedAt: UInt64 = 0
    var phaseEndsAt: UInt64 = 0
    var measureFrom: UInt64 = .max
    var measureUntil: UInt64 = .max
    var measureStartedAt: UInt64?
    var serverTicksAtStart: Int?
    var ownCPUAtStart = 0.0
    var lastSweep: UInt64 = 0

    /// Starts a run on `eventLoop`; the future completes with its report when it is over.
    /// Call `configuration.problem` first: the run assumes valid settings.
    public static func run(_ configuration: LoadConfiguration, on eventLoop: any EventLoop) -> EventLoopFuture<LoadReport> {
        let driver = LoadDriver(configuration, eventLoop: eventLoop)
        eventLoop.execute { driver.start() }
        return driver.promise.futureResult
    }

    private init(_ configuration: LoadConfiguration, eventLoop: any EventLoop) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        upgradeRequest = WebSocketClientFraming.upgradeRequest(
            path: configuration.path, host: configuration.host, port: configuration.port)
        frames = SignalingFrames(candidateBytes: configuration.candidateBytes, sdpBytes: configuration.sdpBytes)
        sampler = configuration.serverPID.map(ProcessSampler.init(pid:))
        promise = eventLoop.makePromise()
        connections = Array(repeating: Connection(), count: configuration.connections)
        pairs = Array(
            repeating: LoadPair(
                mode: configuration.mode, window: configuration.window, icePerDirection: configuration.icePerDirection),
            count: configuration.pairs)
        userIds = (0..<configuration.connections).map { "\(configuration.userPrefix)_\($0)" }
        icePrefixes = Array(repeating: nil, count: configuration.pairs)
        report = LoadReport(
            mode: configuration.mode, connections: configuration.connections, pairs: configuration.pairs,
            window: configuration.window)
    }

    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    func start() {
        startedAt = Self.now()
        phaseStartedAt = startedAt
        report.serverRSSBeforeKB = sampler?.residentKilobytes()
        ticker = eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(5)) { [self] _ in tick() }
    }

    // MARK: - Events from the connections

    func received(_ message: ServerMessage, on index: Int) {
        switch message {
        case .open:
            guard connections[index].state == .connecting else { return }
            connections[index].state = .awaitingConnectAck
            sendText(frames.connect(userId: userIds[index]), on: index)
        case .ping(let data):
            send(.text, payload: frames.pong(data), on: index)
            connections[index].pings += 1
            report.pings += 1
        case .close:
            connections[index].channel?.close(promise: nil)
        case .connected:
            guard connections[index].state == .awaitingConnectAck else { return }
            connections[index].state = .ready
            readyCount += 1
            handshakes -= 1
        case .connectError:
            connectionFailed(index)
            connections[index].channel?.close(promise: nil)
        case .event(let event):
            guard !pairs.isEmpty else { return }
            if case .iceCandidate = event, configuration.mode == .calls { report.received += 1 }
            let pair = index / 2
            let role: LoadPair.Role = index % 2 == 0 ? .caller : .callee
            let now = Self.now()
            perform(pairs[pair].received(event, by: role, now: now, running: phase == .run), pair: pair, now: now)
        case .ack(let id, let ok):
            guard !pairs.isEmpty, index % 2 == 0, pairs[index / 2].isCallAck(id), !ok else { return }
            report.badAcks += 1
        case .ignored:
            break
        }
    }

    /// A handshake that did not complete.
    func connectionFailed(_ index: Int) {
        switch connections[index].state {
        case .connecting, .awaitingConnectAck:
            connections[index].state = .closed
            handshakes -= 1
            report.failed += 1
        case .waiting, .ready, .closed:
            break
        }
    }

    func connectionClosed(_ index: Int) {
        connections[index].channel = nil
        switch connections[index].state {
        case .ready:
            connections[index].state = .closed
            readyCount -= 1
            if phase != .done { report.dropped += 1 }
        case .connecting, .awaitingConnectAck:
            connectionFailed(index)
        case .waiting, .closed:
            break
        }
    }

    // MARK: - Output

    func sendText(_ text: String, on index: Int) {
        send(.text, payload: text.utf8, on: index)
    }

    func send(_ opcode: WebSocketClientFraming.Opcode, payload: some Collection<UInt8>, on index: Int) {
        guard let channel = connections[index].channel else { return }
        var buffer = channel.allocator.buffer(capacity: payload.count + 14)
        WebSocketClientFraming.writeFrame(opcode, payload: payload, into: &buffer)
        channel.write(buffer, promise: nil)
        dirty.append(index)
        guard !flushScheduled else { return }
        flushScheduled = true
        // Runs after the I/O of this loop iteration: one flush per connection per iteration,
        // like sioload's flush after each epoll_wait.
        eventLoop.execute { [self] in flushDirty() }
    }

    func flushDirty() {
        flushScheduled = false
        let indices = dirty
        dirty.removeAll(keepingCapacity: true)
        for index in indices { connections[index].channel?.flush() }
    }

    /// The relay hot path: the cached prefix, the timestamp and the closing `}}]`.
    func sendRelayICE(callId: String, timestamp: UInt64, pair: Int, on index: Int) {
        if icePrefixes[pair]?.callId != callId {
            icePrefixes[pair] = (callId, Array(frames.icePrefix(callId: callId, sequence: nil).utf8))
        }
        var message = icePrefixes[pair]!.bytes
        message.append(contentsOf: String(timestamp).utf8)
        message.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "}"), UInt8(ascii: "]")])
        send(.text, payload: message, on: index)
    }

    func perform(_ actions: [LoadPair.Action], pair: Int, now: UInt64) {
        for action in actions {
            switch action {
            case .send(let role, .ice(let callId, nil, let timestamp)):
                report.sent += 1
                sendRelayICE(callId: callId, timestamp: timestamp, pair: pair, on: role == .caller ? 2 * pair : 2 * pair + 1)
            case .send(let role, let outgoing):
                if case .ice = outgoing { report.sent += 1 }
                let index = role == .caller ? 2 * pair : 2 * pair + 1
                sendText(frames.text(of: outgoing, callee: userIds[2 * pair + 1]), on: index)
            case .relayed(let sentAt):
                report.received += 1
                if now >= measureFrom, now < measureUntil {
                    report.measured += 1
                    report.latency.record(microseconds: (now &- sentAt) / 1000)
                }
            case .becameActive:
                report.activePairs += 1
                if phase == .setup, report.activePairs == pairs.count { startStreaming(now: now) }
            case .completedCall(let startedAt):
                report.completedTotal += 1
                if now >= measureFrom, now < measureUntil {
                    report.measured += 1
                    report.latency.record(microseconds: (now - startedAt) / 1000)
                }
            case .protocolError:
                report.errors += 1
            }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
