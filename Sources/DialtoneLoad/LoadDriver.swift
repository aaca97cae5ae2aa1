import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

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

    private static let connectPhaseLimit: UInt64 = 120_000_000_000
    private static let handshakeLimit: UInt64 = 30_000_000_000
    private static let setupLimit: UInt64 = 30_000_000_000
    private static let drainLimit: UInt64 = 3_000_000_000

    let configuration: LoadConfiguration
    let eventLoop: any EventLoop
    let upgradeRequest: String
    private let frames: SignalingFrames
    private let sampler: ProcessSampler?
    private let promise: EventLoopPromise<LoadReport>
    private var connections: [Connection]
    private var pairs: [LoadPair]
    private var userIds: [String]
    /// Relay: each pair's `ice_candidate` message up to the timestamp, built once per call.
    private var icePrefixes: [(callId: String, bytes: [UInt8])?]
    private var report: LoadReport
    private var phase = Phase.connect
    private var nextToOpen = 0
    private var handshakes = 0
    private var readyCount = 0
    private var dirty: [Int] = []
    private var flushScheduled = false
    private var ticker: RepeatedTask?
    private var startedAt: UInt64 = 0
    private var phaseStartedAt: UInt64 = 0
    private var phaseEndsAt: UInt64 = 0
    private var measureFrom: UInt64 = .max
    private var measureUntil: UInt64 = .max
    private var measureStartedAt: UInt64?
    private var serverTicksAtStart: Int?
    private var ownCPUAtStart = 0.0
    private var lastSweep: UInt64 = 0

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

    private func start() {
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

    private func flushDirty() {
        flushScheduled = false
        let indices = dirty
        dirty.removeAll(keepingCapacity: true)
        for index in indices { connections[index].channel?.flush() }
    }

    /// The relay hot path: the cached prefix, the timestamp and the closing `}}]`.
    private func sendRelayICE(callId: String, timestamp: UInt64, pair: Int, on index: Int) {
        if icePrefixes[pair]?.callId != callId {
            icePrefixes[pair] = (callId, Array(frames.icePrefix(callId: callId, sequence: nil).utf8))
        }
        var message = icePrefixes[pair]!.bytes
        message.append(contentsOf: String(timestamp).utf8)
        message.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "}"), UInt8(ascii: "]")])
        send(.text, payload: message, on: index)
    }

    private func perform(_ actions: [LoadPair.Action], pair: Int, now: UInt64) {
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

    // MARK: - Phases

    private func tick() {
        let now = Self.now()
        if now - startedAt >= UInt64(configuration.timeLimit.nanoseconds) {
            finish(now: now)
            return
        }
        switch phase {
        case .connect: advanceConnecting(now: now)
        case .setup:
            if now - phaseStartedAt > Self.setupLimit { startStreaming(now: now) }
        case .run:
            if measureStartedAt == nil, now >= measureFrom { startMeasuring(now: now) }
            if now >= measureUntil {
                stopMeasuring(now: now)
                enter(.drain, now: now, limit: Self.drainLimit)
            }
        case .drain:
            if !pairs.contains(where: \.isBusy) || now >= phaseEndsAt {
                enter(.hangUp, now: now, limit: Self.drainLimit)
                if configuration.mode == .relay {
                    for pair in pairs.indices where connections[2 * pair].channel != nil {
                        perform(pairs[pair].hangUp(), pair: pair, now: now)
                    }
                }
            }
        case .hangUp:
            let waiting = pairs.indices.contains { pairs[$0].state == .ending && connections[2 * $0 + 1].channel != nil }
            if configuration.mode != .relay || !waiting || now >= phaseEndsAt { finish(now: now) }
        case .hold:
            if now >= phaseEndsAt {
                stopMeasuring(now: now)
                finish(now: now)
            }
        case .done:
            return
        }
        if phase != .done, now - lastSweep > 1_000_000_000 {
            lastSweep = now
            sweepHandshakes(now: now)
        }
    }

    private func advanceConnecting(now: UInt64) {
        while nextToOpen < connections.count, handshakes < configuration.concurrency {
            open(nextToOpen, now: now)
            nextToOpen += 1
        }
        if nextToOpen == connections.count, handshakes == 0 {
            connected(now: now)
        } else if now - startedAt > Self.connectPhaseLimit {
            for index in connections.indices where connections[index].state != .ready {
                connectionFailed(index)
                connections[index].channel?.close(promise: nil)
            }
            nextToOpen = connections.count
        }
    }

    private func connected(now: UInt64) {
        report.connectSeconds = Double(now - startedAt) / 1e9
        report.serverRSSConnectedKB = sampler?.residentKilobytes()
        switch configuration.mode {
        case .idle:
            enter(.hold, now: now, limit: UInt64(configuration.hold.nanoseconds))
            startMeasuring(now: now)
        case .relay:
            enter(.setup, now: now, limit: Self.setupLimit)
            for pair in pairs.indices where bothReady(pair) { perform(pairs[pair].startCall(now: now), pair: pair, now: now) }
            if report.activePairs == pairs.count { startStreaming(now: now) }
        case .calls:
            startWindow(now: now)
            for pair in pairs.indices where bothReady(pair) { perform(pairs[pair].startCall(now: now), pair: pair, now: now) }
        }
    }

    private func bothReady(_ pair: Int) -> Bool {
        connections[2 * pair].state == .ready && connections[2 * pair + 1].state == .ready
    }

    /// Relay: every call is up (or setup timed out): the callers start streaming.
    private func startStreaming(now: UInt64) {
        startWindow(now: now)
        for pair in pairs.indices { perform(pairs[pair].fill(now: now), pair: pair, now: now) }
    }

    private func startWindow(now: UInt64) {
        phase = .run
        phaseStartedAt = now
        measureFrom = now + UInt64(configuration.warmup.nanoseconds)
        measureUntil = measureFrom + UInt64(configuration.duration.nanoseconds)
    }

    private func enter(_ next: Phase, now: UInt64, limit: UInt64) {
        phase = next
        phaseStartedAt = now
        phaseEndsAt = now + limit
    }

    private func startMeasuring(now: UInt64) {
        measureStartedAt = now
        serverTicksAtStart = sampler?.cpuTicks()
        ownCPUAtStart = ProcessSampler.ownCPUSeconds()
    }

    private func stopMeasuring(now: UInt64) {
        guard let started = measureStartedAt else { return }
        let seconds = Double(now - started) / 1e9
        report.measuredSeconds = configuration.mode == .idle ? seconds : Double(configuration.duration.nanoseconds) / 1e9
        guard seconds > 0 else { return }
        if let before = serverTicksAtStart, let after = sampler?.cpuTicks() {
            report.serverCPUPercent = 100 * Double(after - before) / ProcessSampler.ticksPerSecond / seconds
        }
        report.generatorCPUPercent = 100 * (ProcessSampler.ownCPUSeconds() - ownCPUAtStart) / seconds
        measureStartedAt = nil
    }

    private func sweepHandshakes(now: UInt64) {
        for index in connections.indices where now - connections[index].openedAt > Self.handshakeLimit {
            let state = connections[index].state
            guard state == .connecting || state == .awaitingConnectAck else { continue }
            connectionFailed(index)
            connections[index].channel?.close(promise: nil)
        }
    }

    private func open(_ index: Int, now: UInt64) {
        connections[index].state = .connecting
        connections[index].openedAt = now
        handshakes += 1
        let sources = configuration.effectiveSourceAddresses
        var bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                connections[index].channel = channel
                // Reset instead of FIN on close: no TIME_WAIT pile-up between runs, as sioload.
                if let options = channel as? any SocketOptionProvider {
                    _ = options.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LoadConnectionHandler(index: index, driver: self))
                }
            }
        if sources > 1, let source = try? SocketAddress(ipAddress: "127.0.0.\(1 + index % sources)", port: 0) {
            bootstrap = bootstrap.bind(to: source)
        }
        bootstrap.connect(host: configuration.host, port: configuration.port).whenFailure { [self] _ in
            connectionFailed(index)
        }
    }

    private func finish(now: UInt64) {
        guard phase != .done else { return }
        stopMeasuring(now: now)
        phase = .done
        ticker?.cancel()
        report.serverRSSEndKB = sampler?.residentKilobytes()
        report.connected = connections.count - report.failed - connections.filter { $0.state == .waiting }.count
        let alive = connections.filter { $0.state == .ready && $0.channel != nil }
        report.aliveAtEnd = alive.count
        report.alivePinged = alive.filter { $0.pings > 0 }.count
        report.unfinished = configuration.mode == .calls ? pairs.filter { $0.state != .ended && $0.state != .idle }.count : 0
        report.wallSeconds = Double(now - startedAt) / 1e9
        flushDirty()
        let channels = connections.compactMap(\.channel)
        let closed = channels.map { $0.close() }
        let report = self.report
        EventLoopFuture.whenAllComplete(closed, on: eventLoop).whenComplete { [promise] _ in promise.succeed(report) }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
