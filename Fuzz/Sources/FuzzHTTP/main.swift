import DialtoneCore
import FuzzSupport
import Logging
import NIOCore
import NIOEmbedded

// Raw bytes from one client into one connection's real pipeline: NIO's HTTP/1.1 decoder, the
// connection handler with its limits, the router, the HTTP API, Engine.IO polling and, after an
// upgrade, WebSocket frames to `/ws` or Socket.IO, down to a core that holds a ringing and an
// active call. The first byte picks the auth mode (bit 0: jwt), whether the rest is raw bytes
// or parts that the harness frames (bit 1; see `Framing`), and how it arrives (bits 2-7: chunks
// of that many bytes; 0: all at once). After the input the oracle checks what
// a client can never cause: a 5xx other than 503, internals in a response, a call that ended
// without going into history, and under jwt, a call ended or the core changed by an input that
// carries no participant's valid token. An input carries a token when the token's bytes appear
// in it: the seeds' WebSocket frames use the all-zero mask, so their tokens stay readable.

LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
_ = Tokens.byUser

runFuzzer { bytes in
    guard let mode = bytes.first else { return }
    let stream = mode & 2 == 0 ? Array(bytes.dropFirst()) : Framing.expand(Array(bytes.dropFirst()))
    let stack = Stack(requiresTokens: mode & 1 == 1)
    let liveBefore = stack.hub.read { $0.liveCalls() }
    let statusBefore = stack.hub.read { $0.status }

    let channel = EmbeddedChannel(loop: stack.loop)
    let client = try! SocketAddress(ipAddress: "127.0.0.1", port: 40_000)
    channel.remoteAddress = client
    fuzzCheck((try? stack.server.configureConnection(channel)) != nil, "setting up the pipeline failed")
    _ = channel.connect(to: client)

    var responses = Responses()
    let chunkSize = Int(mode >> 2)
    var offset = 0
    while offset < stream.count, channel.isActive {
        let end = chunkSize == 0 ? stream.count : min(offset + chunkSize, stream.count)
        let written = (try? channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))) != nil
        stack.loop.run()
        responses.take(from: channel)
        guard written else { break }
        offset = end
    }
    // Every timer the input armed (close handshakes, request timeouts) runs before the teardown.
    stack.loop.advanceTime(by: .seconds(120))
    responses.take(from: channel)
    _ = channel.close()
    stack.socketIO.engine.closeAllSessions()
    stack.loop.run()
    responses.take(from: channel)
    _ = try? channel.finish(acceptAlreadyClosed: true)
    try? stack.loop.syncShutdownGracefully()

    fuzzCheck(responses.serverErrors.isEmpty, "answered \(responses.serverErrors)")
    fuzzCheck(!responses.leakedInternals, "a response shows internals: \(responses.bodies.prefix(3))")
    let (live, history) = stack.hub.read { core in (Set(core.liveCalls().map(\.callId)), core.historyRecords) }
    let ended = liveBefore.filter { !live.contains($0.callId) }
    for call in ended {
        fuzzCheck(history.contains { $0.callId == call.callId }, "\(call.callId) ended but is not in history")
    }
    guard stack.requiresTokens else { return }
    let provable = Tokens.usersPresent(in: stream)
    for call in ended {
        fuzzCheck(
            !provable.isDisjoint(with: call.userIds),
            "\(call.callId) ended without a participant's token: \(history.filter { $0.callId == call.callId })")
    }
    if provable.isEmpty {
        fuzzCheck(stack.hub.read { $0.status } == statusBefore, "an input without a valid token changed the core")
    }
}
