import NIOCore
import NIOWebSocket

/// Turns aggregated WebSocket frames into messages for a receiver, answers control frames and
/// enforces the outbound buffer bound. Lives at the end of an upgraded connection's pipeline.
final class WebSocketConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var receiver: (any WebSocketFrameReceiver)?
    private var context: ChannelHandlerContext?
    private var sentClose = false
    private var peerCloseCode: WebSocketCloseCode?
    private var isClosed = false
    private var coalescer: FlushCoalescer?
    /// Written since the last flush, and queued with the coalescer for the next one.
    private var awaitingFlush = false

    init() {}

    /// Attaches the receiver; frames read before that are impossible since this happens in the
    /// same event-loop tick as the upgrade. Making the receiver may already have closed the
    /// connection (a refused device is closed at once, and a write that fails at once closes it
    /// synchronously): it is then told so here, since no `channelInactive` will come to tell it,
    /// and it is not kept, which would hold it and its device forever.
    func attach(_ receiver: any WebSocketFrameReceiver) {
        guard !isClosed else {
            receiver.closed(code: peerCloseCode)
            return
        }
        self.receiver = receiver
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        coalescer = FlushCoalescer.of(context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            receiver?.received(text: frame.unmaskedText)
        case .binary:
            receiver?.received(binary: frame.unmaskedData)
        case .ping:
            guard !sentClose else { return }
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            peerCloseCode = data.readInteger(as: UInt16.self).map(Int.init)
            if sentClose {
                context.close(promise: nil)
            } else {
                // Echo the peer's code, as RFC 6455 section 5.5.1 asks, then close.
                sentClose = true
                var reply = context.channel.allocator.buffer(capacity: 2)
                if let code = peerCloseCode { reply.writeInteger(UInt16(truncatingIfNeeded: code)) }
                let closeFrame = WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(closeFrame)).whenComplete { _ in channel.close(promise: nil) }
            }
        case .pong, .continuation:
            break
        default:
            close(code: .protocolError, reason: "unknown opcode")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength,
            NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge,
            NIOWebSocketFrameAggregator.Error.tooManyFragments:
            LimitRejection.payload.record()
            close(code: .messageTooLarge, reason: "message too large")
        default:
            close(code: .protocolError, reason: "protocol error")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            receiver?.shutdownRequested()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        let receiver = self.receiver
        self.receiver = nil
        receiver?.closed(code: peerCloseCode)
        context.fireChannelInactive()
    }

    func send(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        guard let context, let coalescer, !sentClose else { return }
        guard context.channel.isWritable else {
            // The peer stopped reading: a close frame would queue behind everything else, so
            // the connection is dropped at once.
            sentClose = true
            context.close(promise: nil)
            return
        }
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: opcode, data: data)), promise: nil)
        if !awaitingFlush {
            awaitingFlush = true
            coalescer.flushLater(self)
        }
    }

    /// Called by the coalescer once per batch of writes.
    func flushNow() {
        awaitingFlush = false
        context?.flush()
    }

    func close(code: WebSocketErrorCode, reason: String) {
        guard let context, !sentClose else { return }
        sentClose = true
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        let closeFrame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(closeFrame)).whenComplete { _ in channel.close(promise: nil) }
        // A peer that does not read would keep the close frame (and the connection) pending.
        context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    /// How long a close frame may wait to be written before the connection is dropped.
    static let closeTimeout = TimeAmount.seconds(5)
}
