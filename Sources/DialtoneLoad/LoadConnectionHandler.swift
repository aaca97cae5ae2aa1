import NIOCore

/// The bytes of one load connection: sends the WebSocket upgrade, then turns server frames
/// into ``ServerMessage``s for the driver and answers WebSocket pings.
final class LoadConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let index: Int
    private let driver: LoadDriver
    private var upgraded = false
    private var pending: ByteBuffer?
    /// Fragments of a message split over several frames.
    private var fragments: [UInt8] = []

    init(index: Int, driver: LoadDriver) {
        self.index = index
        self.driver = driver
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = driver.upgradeRequest
        var buffer = context.channel.allocator.buffer(capacity: request.utf8.count)
        buffer.writeString(request)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var buffered = pending {
            buffered.writeBuffer(&incoming)
            incoming = buffered
            pending = nil
        }
        if !upgraded {
            guard let response = WebSocketClientFraming.upgradeResponse(in: incoming) else {
                pending = incoming
                return
            }
            guard response.switched else {
                driver.connectionFailed(index)
                context.close(promise: nil)
                return
            }
            incoming.moveReaderIndex(forwardBy: response.headLength)
            upgraded = true
        }
        while let frame = WebSocketClientFraming.readFrame(from: &incoming) {
            guard handle(frame, context: context) else { return }
        }
        if incoming.readableBytes > 0 { pending = incoming }
    }

    /// Returns false once the connection is closing.
    private func handle(_ frame: WebSocketClientFraming.Frame, context: ChannelHandlerContext) -> Bool {
        switch WebSocketClientFraming.Opcode(rawValue: frame.opcode) {
        case .text, .binary, .continuation:
            if frame.fin && fragments.isEmpty {
                driver.received(ServerMessage(frame.payload.readableBytesView), on: index)
            } else {
                fragments += frame.payload.readableBytesView
                if frame.fin {
                    driver.received(ServerMessage(fragments), on: index)
                    fragments = []
                }
            }
            return context.channel.isActive
        case .ping:
            driver.send(.pong, payload: frame.payload.readableBytesView, on: index)
            return true
        case .pong:
            return true
        case .close, nil:
            context.close(promise: nil)
            return false
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver.connectionClosed(index)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
