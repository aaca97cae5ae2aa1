import Logging
import NIOCore

/// The first handler of an HTTP connection, seeing raw bytes: closes a connection that takes too
/// long to send a request (408, against slowloris) or stays idle between requests too long.
///
/// ``HTTPConnectionHandler`` tells it when a request is complete and when its answer is out; while
/// a request is being answered (a parked long poll) no clock runs. A WebSocket upgrade removes it.
/// One timer task per connection is re-armed rather than cancelled: cancelling a NIO task scans
/// the loop's whole task heap, which adds up with thousands of connections.
final class HTTPConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
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
    /// When the pending timer task fires, if one is pending.
    private var armedFor: NIODeadline?
    private var context: ChannelHandlerContext?

    init(limits: HTTPServer.Limits, logger: Logger) {
        self.requestTimeout = limits.requestTimeout?.timeAmount
        self.idleTimeout = limits.idleTimeout?.timeAmount
        self.logger = logger
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
        deadline = nil
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
        deadline = nil
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
        guard let newDeadline, armedFor.map({ $0 > newDeadline }) ?? true else { return }
        arm(at: newDeadline)
    }

    private func arm(at time: NIODeadline) {
        guard let context else { return }
        armedFor = time
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(deadline: time) { handler.value.timerFired(armedFor: time) }
    }

    private func timerFired(armedFor time: NIODeadline) {
        // A later task superseded this one by firing earlier; it re-armed as needed.
        guard armedFor == time else { return }
        armedFor = nil
        guard let deadline else { return }
        guard NIODeadline.now() >= deadline else {
            arm(at: deadline)
            return
        }
        expire()
    }

    private func expire() {
        guard let context else { return }
        let wasReceiving = phase == .receiving
        phase = .done
        deadline = nil
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
