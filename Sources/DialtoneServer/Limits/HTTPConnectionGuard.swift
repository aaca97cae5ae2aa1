import Logging
import NIOCore

/// The first handler of an HTTP connection, seeing raw bytes: closes a connection that takes too
/// long to send a request (408, against slowloris) or stays idle between requests too long.
///
/// ``HTTPConnectionHandler`` tells it when a request is complete and when its answer is out; while
/// a request is being answered (a parked long poll) no clock runs. A WebSocket upgrade removes it.
/// The clocks run on the loop's ``LoopTimerWheel``: a NIO task per deadline outlived the upgrade
/// (cancelling one scans the loop's whole task heap), two per idle WebSocket connection.
final class HTTPConnectionGuard: ChannelInboundHandler, RemovableChannelHandler, LoopTimerWheelMember {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        /// Waiting for the first byte of a request: the idle clock runs.
        case idle
        /// Part of a request arrived: the request clock runs.
        case receiving
        /// The request is complete and being answered: no clock.
        case answering
        /// Gave up on the connection, or it was upgraded: no clock, nothing more read.
        case done
    }

    private let requestTimeout: TimeAmount?
    private let idleTimeout: TimeAmount?
    private let logger: Logger
    private var phase = Phase.idle
    private var deadline: NIODeadline?
    private var context: ChannelHandlerContext?
    private let timers: LoopTimerWheel<HTTPConnectionGuard>
    var wheelPosition: TimerWheelPosition?

    /// `timers`: the wheel of the connection's event loop.
    init(limits: HTTPServer.Limits, logger: Logger, timers: LoopTimerWheel<HTTPConnectionGuard>) {
        self.requestTimeout = limits.requestTimeout?.timeAmount
        self.idleTimeout = limits.idleTimeout?.timeAmount
        self.logger = logger
        self.timers = timers
    }

    /// Whether there is any clock to run: with neither timeout the handler is left out.
    static func isNeeded(for limits: HTTPServer.Limits) -> Bool {
        limits.requestTimeout != nil || limits.idleTimeout != nil
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        enterIdle()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        phase = .done
        setDeadline(nil)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .idle:
            phase = .receiving
            setDeadline(requestTimeout.map { .now() + $0 })
        case .receiving, .answering:
            break
        case .done:
            return
        }
        context.fireChannelRead(data)
    }

    /// The whole request (head and body) arrived.
    func requestReceived() {
        guard phase != .done else { return }
        phase = .answering
        setDeadline(nil)
    }

    /// The answer went out and the connection stays open for the next request.
    func responseSent() {
        guard phase != .done else { return }
        enterIdle()
    }

    private func enterIdle() {
        phase = .idle
        setDeadline(idleTimeout.map { .now() + $0 })
    }

    private func setDeadline(_ newDeadline: NIODeadline?) {
        deadline = newDeadline
        if let newDeadline {
            timers.arm(self, at: newDeadline)
        } else {
            timers.disarm(self)
        }
    }

    func deadlineReached() {
        guard let deadline, phase != .done else { return }
        guard NIODeadline.now() >= deadline else {
            timers.arm(self, at: deadline)
            return
        }
        expire()
    }

    private func expire() {
        guard let context else { return }
        let wasReceiving = phase == .receiving
        phase = .done
        setDeadline(nil)
        if wasReceiving {
            LimitRejection.requestTimeout.record(logger, metadata: Self.metadata(context))
            Self.answerAndClose(context, with: HTTPResponse.requestTimeout)
        } else {
            LimitRejection.idleTimeout.record(logger, metadata: Self.metadata(context))
            context.close(promise: nil)
        }
    }

    static func metadata(_ context: ChannelHandlerContext) -> Logger.Metadata {
        ["dialtone.remote": "\(context.remoteAddress?.ipAddress ?? "unknown")"]
    }

    /// Writes a whole response ahead of the HTTP handlers, then closes.
    static func answerAndClose(_ context: ChannelHandlerContext, with response: HTTPResponse) {
        let channel = context.channel
        context.writeAndFlush(NIOAny(response.serialized())).whenComplete { _ in lingeringClose(channel) }
    }

    /// Closes a connection whose last answer is written: the write side shuts first and the rest
    /// follows when the client closes too, or a second later. Closing outright while part of the
    /// client's request is unread (a refused body, a refused connection) would reset the
    /// connection, and the client could lose the answer.
    static func lingeringClose(_ channel: any Channel) {
        channel.close(mode: .output, promise: nil)
        channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }
}
