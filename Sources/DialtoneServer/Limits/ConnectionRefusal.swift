import Logging
import NIOCore

/// The only handler of a connection over a connection limit: answers 503 or 429 at once, reads
/// and drops whatever the client sends, and closes.
final class ConnectionRefusal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limit: LimitRejection
    private let logger: Logger
    private var answered = false

    init(_ limit: LimitRejection, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        limit.record(logger, metadata: HTTPConnectionGuard.metadata(context))
        let response: HTTPResponse = limit == .connections ? .tooManyConnections : .tooManyConnectionsFromAddress
        HTTPConnectionGuard.answerAndClose(context, with: response)
    }
}
