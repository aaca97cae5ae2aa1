import DialtoneProtocol
import NIOCore
import NIOHTTP1

/// The long-polling transport: GET polls (parked until there is data), POSTed payloads, and
/// the answers written as `\u{1e}`-joined payloads.
extension EngineIOSession {
    func pollRequested(_ request: HTTPRequest, responder: HTTPResponder) {
        applyDueDeadlines()
        guard !finished else {
            responder.respond(server.errorResponse(.unknownSession, request))
            return
        }
        switch machine.pollRequested(hasBufferedPackets: !pollBuffer.isEmpty, now: Self.now()) {
        case .respond:
            respondWithBuffer(responder, request: request)
        case .park:
            parkedPoll = responder
            parkedPollGeneration += 1
            let generation = parkedPollGeneration
            responder.onAbort { [self] in
                onLoop { session in
                    guard session.parkedPoll != nil, session.parkedPollGeneration == generation else { return }
                    session.parkedPoll = nil
                    session.closeNow(session.machine.parkedPollAborted())
                }
            }
            rescheduleTimer()
        case .respondWithClose:
            respondWithBuffer(responder, request: request, closing: true)
            finish(.serverClosed)
        case .reject:
            responder.respond(server.errorResponse(.badRequest, request))
        case .rejectAndClose:
            responder.respond(server.errorResponse(.badRequest, request))
            if let poll = parkedPoll {
                parkedPoll = nil
                respond(poll, packets: [.text(ByteBuffer(string: "1"))])
            }
            finish(.transportError)
        }
    }

    func dataPosted(_ request: HTTPRequest, responder: HTTPResponder) {
        applyDueDeadlines()
        guard !finished else {
            responder.respond(server.errorResponse(.unknownSession, request))
            return
        }
        guard machine.acceptsPostedData else {
            responder.respond(server.errorResponse(.badRequest, request))
            return
        }
        let packets: [EngineIOPacket]
        do {
            packets = try EngineIOPayload.decode(String(buffer: request.body))
        } catch {
            responder.respond(server.errorResponse(.badRequest, request))
            closeNow(machine.parseFailed())
            return
        }
        var headers = server.configuration.cors.headers(for: request.headers)
        headers.add(name: "Content-Type", value: "text/html")
        responder.respond(HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(string: "ok")))
        for packet in packets {
            guard !machine.isClosed else { break }
            perform(machine.received(packet, from: .activeTransport, now: Self.now()), for: packet, from: nil)
        }
        rescheduleTimer()
    }

    func respondWithBuffer(_ responder: HTTPResponder, request: HTTPRequest? = nil, closing: Bool = false) {
        var packets = pollBuffer
        pollBuffer = []
        pollBufferBytes = 0
        if closing { packets.append(.text(ByteBuffer(string: "1"))) }
        respond(responder, packets: packets, request: request)
    }

    /// Writes a polling response: text packets as they are, binary ones as `b` + base64,
    /// separated by `\u{1e}`.
    func respond(_ responder: HTTPResponder, packets: [Outbound], request: HTTPRequest? = nil) {
        var body = ByteBuffer()
        body.reserveCapacity(packets.reduce(0) { $0 + $1.byteCount + 1 })
        for (index, packet) in packets.enumerated() {
            if index > 0 { body.writeInteger(EngineIOPayload.separator) }
            switch packet {
            case .text(let buffer):
                body.writeImmutableBuffer(buffer)
            case .binary(let buffer):
                body.writeInteger(UInt8(ascii: "b"))
                body.writeString(Base64.encode(buffer.readableBytesView))
            }
        }
        var headers = request.map { server.configuration.cors.headers(for: $0.headers) } ?? corsHeadersOfOpen
        headers.add(name: "Content-Type", value: "text/plain; charset=UTF-8")
        responder.respond(HTTPResponse(status: .ok, headers: headers, body: body))
    }

    /// CORS headers for answers that are not tied to the request they answer (a parked poll
    /// answered later); `*` is the only value that fits every origin, anything else is left out.
    var corsHeadersOfOpen: HTTPHeaders {
        server.configuration.cors == .anyOrigin ? ["Access-Control-Allow-Origin": "*"] : [:]
    }
}
