import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// One HTTP/1.1 connection: collects each request (body bounded), dispatches it through the
/// router, writes the answer, and performs WebSocket upgrades itself, on any request of a
/// keep-alive connection.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The HTTP handlers in front of this one, removed on a WebSocket upgrade.
    struct HTTPHandlers {
        /// Runs the request and idle clocks; `nil` when neither timeout is set.
        var timeouts: HTTPConnectionGuard?
        var encoder: HTTPResponseEncoder
        var decoder: ByteToMessageHandler<HTTPRequestDecoder>
        var pipelining: HTTPServerPipelineHandler
        var errors: HTTPServerProtocolErrorHandler
    }

    private enum State {
        case idle
        case receiving(head: HTTPRequestHead, body: ByteBuffer, limit: Int)
        /// The body went over its limit: the 413 is out and the rest of the request is ignored.
        case discarding
        case awaitingResponse(number: Int, keepAlive: Bool, isHead: Bool, onAbort: (() -> Void)?)
        case upgraded
        case closed
    }

    private let server: HTTPServer.Shared
    private let handlers: HTTPHandlers
    private var state = State.idle
    private var requestNumber = 0
    private var context: ChannelHandlerContext?

    init(server: HTTPServer.Shared, handlers: HTTPHandlers) {
        self.server = server
        self.handlers = handlers
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestNumber += 1
            let limit = bodyLimit(for: head)
            if let length = head.headers["content-length"].first.flatMap(Int.init), length > limit {
                rejectOversizedBody(context: context, head: head)
                return
            }
            state = .receiving(head: head, body: context.channel.allocator.buffer(capacity: 0), limit: limit)
        case .body(var chunk):
            guard case .receiving(let head, var body, let limit) = state else { return }
            guard body.readableBytes + chunk.readableBytes <= limit else {
                rejectOversizedBody(context: context, head: head)
                return
            }
            state = .discarding  // drops the reference so the write below does not copy
            body.writeBuffer(&chunk)
            state = .receiving(head: head, body: body, limit: limit)
        case .end:
            guard case .receiving(let head, let body, _) = state else { return }
            handlers.timeouts?.requestReceived()
            dispatch(
                context: context, request: HTTPRequest(head: head, body: body, remoteAddress: context.remoteAddress))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .awaitingResponse(_, _, _, let onAbort?) = state { onAbort() }
        state = .closed
        context.fireChannelInactive()
    }

    private func bodyLimit(for head: HTTPRequestHead) -> Int {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        if let engine = server.router.engine(for: path) { return engine.configuration.maxPayload }
        return server.configuration.maxBodySize
    }

    private func rejectOversizedBody(context: ChannelHandlerContext, head: HTTPRequestHead) {
        handlers.timeouts?.requestReceived()
        LimitRejection.payload.record(server.logger, metadata: ["dialtone.path": "\(head.uri.prefix(100))"])
        state = .awaitingResponse(number: requestNumber, keepAlive: false, isHead: false, onAbort: nil)
        write(HTTPResponse.payloadTooLarge, number: requestNumber)
        state = .discarding
    }

    private func dispatch(context: ChannelHandlerContext, request: HTTPRequest) {
        let number = requestNumber
        state = .awaitingResponse(
            number: number, keepAlive: request.head.isKeepAlive, isHead: request.method == .HEAD, onAbort: nil)
        let isWebSocket = WebSocketHandshake.isRequested(request.head)
        let engine = server.router.engine(for: request.path)
        if isWebSocket || engine != nil, !server.configuration.limits.origins.allows(request.headers) {
            LimitRejection.origin.record(
                server.logger, metadata: ["dialtone.origin": "\(request.headers["origin"].first?.prefix(100) ?? "")"])
            refuseUpgrade(.originNotAllowed)
            return
        }
        if isWebSocket {
            dispatchWebSocket(context: context, request: request)
            return
        }
        if let engine {
            engine.handle(
                request,
                responder: HTTPResponder(connection: NIOLoopBound(self, eventLoop: context.eventLoop), number: number))
            return
        }
        switch server.router.route(request.method, request.path) {
        case .route(let route) where route.gate.isOpen():
            write(route.handler(request), number: number)
        case .route(let route):
            let responder = HTTPResponder(connection: NIOLoopBound(self, eventLoop: context.eventLoop), number: number)
            Task {
                await route.gate.wait()
                responder.respond(route.handler(request))
            }
        case .methodNotAllowed:
            write(.methodNotAllowed, number: number)
        case .notFound:
            write(.notFound, number: number)
        }
    }

    private func dispatchWebSocket(context: ChannelHandlerContext, request: HTTPRequest) {
        if let factory = server.router.webSocketFactory(for: request.path) {
            upgrade(context: context, request: request, maxMessageSize: server.configuration.maxBodySize) {
                connection in
                WebSocketRouteReceiver(handler: factory(request, connection), connection: connection)
            }
        } else if let engine = server.router.engine(for: request.path) {
            switch engine.webSocketRequested(request) {
            case .reject(let response):
                refuseUpgrade(response)
            case .accept(let makeReceiver):
                upgrade(
                    context: context, request: request, maxMessageSize: engine.configuration.maxPayload,
                    makeReceiver: makeReceiver)
            }
        } else {
            refuseUpgrade(.notFound)
        }
    }

    /// Answers an upgrade request that is not accepted and closes the connection: the HTTP
    /// decoder treats whatever follows an upgrade request as the new protocol, so the
    /// connection cannot carry another HTTP request.
    private func refuseUpgrade(_ response: HTTPResponse) {
        guard case .awaitingResponse(let number, _, let isHead, let onAbort) = state else { return }
        state = .awaitingResponse(number: number, keepAlive: false, isHead: isHead, onAbort: onAbort)
        write(response, number: number)
    }

    /// Swaps this connection from HTTP to WebSocket: writes the 101 by hand and replaces the
    /// HTTP handlers with the frame codec, the fragment aggregator and the message handler.
    private func upgrade(
        context: ChannelHandlerContext, request: HTTPRequest, maxMessageSize: Int,
        makeReceiver: @escaping (WebSocketConnection) -> any WebSocketFrameReceiver
    ) {
        guard let accept = WebSocketHandshake.acceptValue(for: request.head) else {
            refuseUpgrade(.json(.badRequest, #"{"error":"bad_request","message":"Invalid WebSocket upgrade request"}"#))
            return
        }
        let pipeline = context.pipeline.syncOperations
        let webSocketHandler = WebSocketConnectionHandler()
        do {
            pipeline.removeHandler(handlers.encoder, promise: nil)
            pipeline.removeHandler(handlers.pipelining, promise: nil)
            pipeline.removeHandler(handlers.errors, promise: nil)
            if let timeouts = handlers.timeouts { pipeline.removeHandler(timeouts, promise: nil) }
            context.writeAndFlush(
                NIOAny(
                    WebSocketHandshake.switchingProtocolsResponse(accept: accept, allocator: context.channel.allocator)),
                promise: nil)
            try pipeline.addHandlers(
                [
                    WebSocketFrameEncoder(),
                    ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: max(maxMessageSize, 125))),
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                        maxAccumulatedFrameSize: maxMessageSize),
                    webSocketHandler,
                ],
                position: .after(self))
        } catch {
            server.logger.debug("WebSocket upgrade failed", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            return
        }
        state = .upgraded
        let connection = WebSocketConnection(handler: NIOLoopBound(webSocketHandler, eventLoop: context.eventLoop))
        webSocketHandler.attach(makeReceiver(connection))
        pipeline.removeHandler(handlers.decoder, promise: nil)
        pipeline.removeHandler(context: context, promise: nil)
    }

    /// Writes the answer to request `number` if it is still the one waiting.
    func write(_ response: HTTPResponse, number: Int) {
        guard let context, case .awaitingResponse(number, let keepAlive, let isHead, _) = state else { return }
        var headers = response.headers
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)
        state = .idle
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !isHead, response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(response.body))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            handlers.timeouts?.responseSent()
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                HTTPConnectionGuard.lingeringClose(channel)
            }
        }
    }

    /// Registers what to do if the connection closes before request `number` is answered; runs
    /// it at once if that already happened.
    func onAbort(of number: Int, _ action: @escaping () -> Void) {
        switch state {
        case .awaitingResponse(number, let keepAlive, let isHead, _):
            state = .awaitingResponse(number: number, keepAlive: keepAlive, isHead: isHead, onAbort: action)
        case .closed:
            action()
        default:
            break
        }
    }
}
