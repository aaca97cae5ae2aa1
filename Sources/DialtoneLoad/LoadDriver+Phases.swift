import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The phases of a run, advanced by the 5 ms tick: connect, then hold (idle), set-up and
/// streaming (relay) or the lifecycle loop (calls), then drain, hang-up and the report.
extension LoadDriver {
    func tick() {
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

    func advanceConnecting(now: UInt64) {
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

    func connected(now: UInt64) {
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

    func bothReady(_ pair: Int) -> Bool {
        connections[2 * pair].state == .ready && connections[2 * pair + 1].state == .ready
    }

    /// Relay: every call is up (or setup timed out): the callers start streaming.
    func startStreaming(now: UInt64) {
        startWindow(now: now)
        for pair in pairs.indices { perform(pairs[pair].fill(now: now), pair: pair, now: now) }
    }

    func startWindow(now: UInt64) {
        phase = .run
        phaseStartedAt = now
        measureFrom = now + UInt64(configuration.warmup.nanoseconds)
        measureUntil = measureFrom + UInt64(configuration.duration.nanoseconds)
    }

    func enter(_ next: Phase, now: UInt64, limit: UInt64) {
        phase = next
        phaseStartedAt = now
        phaseEndsAt = now + limit
    }

    func startMeasuring(now: UInt64) {
        measureStartedAt = now
        serverTicksAtStart = sampler?.cpuTicks()
        ownCPUAtStart = ProcessSampler.ownCPUSeconds()
    }

    func stopMeasuring(now: UInt64) {
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

    func sweepHandshakes(now: UInt64) {
        for index in connections.indices where now - connections[index].openedAt > Self.handshakeLimit {
            let state = connections[index].state
            guard state == .connecting || state == .awaitingConnectAck else { continue }
            connectionFailed(index)
            connections[index].channel?.close(promise: nil)
        }
    }

    func open(_ index: Int, now: UInt64) {
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

    func finish(now: UInt64) {
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
