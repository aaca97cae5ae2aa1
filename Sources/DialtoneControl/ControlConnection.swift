import DialtoneJSON
import Logging
import NIOCore

/// One client of the control socket: reads request lines, answers them in order, and writes
/// events while subscribed. Requests are handled one at a time, off the event loops, and the
/// next line is read only once the previous answer is written.
struct ControlConnection: Sendable {
    let channel: NIOAsyncChannel<ControlFrame, Never>
    let peer: PeerCredentials?
    let dispatcher: ControlDispatcher
    let hub: ControlEventHub
    let configuration: ControlServer.Configuration
    let logger: Logger

    func run() async {
        let outbox = ControlOutbox(eventCapacity: configuration.eventBufferCapacity)
        hub.add(outbox)
        defer {
            hub.remove(outbox)
            outbox.close()
        }
        let channel = self.channel.channel
        do {
            try await withTaskCancellationHandler {
                try await self.channel.executeThenClose { inbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await write(outbox, to: channel) }
                        try await serve(inbound, outbox: outbox)
                        // A subscriber that shut its sending side still wants its events; they
                        // flow until the peer goes away and a write fails.
                        if outbox.isSubscribed {
                            try await group.next()
                        }
                        outbox.close()
                        try await group.waitForAll()
                    }
                }
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            logger.debug("control connection closed", metadata: ["dialtone.error": "\(error)"])
        }
    }

    private func serve(_ inbound: NIOAsyncChannelInboundStream<ControlFrame>, outbox: ControlOutbox) async throws {
        var subscription: ControlEventFilter?
        for try await frame in inbound {
            let answer: [UInt8]?
            switch frame {
            case .line(let line):
                answer = await dispatcher.answer(Array(line.readableBytesView), subscription: &subscription, peer: peer)
            case .oversized(let limit):
                answer = dispatcher.oversizedLineAnswer(limit: limit)
            }
            if let answer {
                await outbox.send(answer, subscription: subscription)
            } else {
                outbox.update(subscription: subscription)
            }
        }
    }

    /// Writes whatever the outbox holds, a large answer in chunks: while the socket takes the
    /// data, chunks go out back to back; once the channel reports it is full, the writer waits
    /// for the data to drain instead of queueing more in memory.
    private func write(_ outbox: ControlOutbox, to channel: Channel) async throws {
        do {
            for await _ in outbox.wakeups {
                while let item = outbox.next() {
                    switch item {
                    case .response(let response):
                        defer { response.written.resume() }
                        try await write(response.bytes, to: channel)
                    case .event(let event):
                        try await write(dispatcher.notification(event), to: channel)
                    case .lagged(let dropped):
                        try await write(dispatcher.laggedNotification(dropped: dropped), to: channel)
                    }
                }
            }
        } catch {
            outbox.close()
            channel.close(promise: nil)
            throw error
        }
    }

    private func write(_ bytes: [UInt8], to channel: Channel) async throws {
        let chunkSize = configuration.writeChunkBytes
        var last: EventLoopFuture<Void>?
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            last = channel.writeAndFlush(ByteBuffer(bytes: bytes[start..<end]))
            start = end
            if !channel.isWritable, let pending = last { try await pending.get() }
        }
        try await last?.get()
    }
}
