import NIOCore
import NIOPosix
import Synchronization

/// A raw TCP client for driving the server byte by byte: HTTP/1.1 requests on one keep-alive
/// connection, and WebSocket frames (masked, as a client must) after an upgrade. Every read
/// gives up after `timeout`.
final class TestClient {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    struct Frame: Equatable {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        var text: String { String(decoding: payload, as: UTF8.self) }
        var closeCode: Int? {
            opcode == 8 && payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil
        }
    }

    struct Timeout: Error {}
    struct Closed: Error {}

    /// Collects what the server sends; read by the test task, written on the event loop.
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state = Mutex((bytes: [UInt8](), closed: false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let chunk = unwrapInboundIn(data)
            state.withLock { $0.bytes += chunk.readableBytesView }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLock { $0.closed = true }
        }
    }

    private let channel: any Channel
    private let collector = Collector()
    let timeout: Duration

    /// `receiveBufferSize` shrinks the socket's buffer, for tests of clients that stop reading.
    init(port: Int, timeout: Duration = .seconds(5), receiveBufferSize: Int32? = nil) async throws {
        let collector = self.collector
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let receiveBufferSize {
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferSize))
        }
        channel =
            try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        self.timeout = timeout
    }

    /// Stops reading from the socket, so the server's writes pile up.
    func stopReading() {
        channel.setOption(.autoRead, value: false).whenComplete { _ in }
    }

    func close() async {
        try? await channel.close()
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    func send(bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends a request and reads its response.
    func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: String = ""
    ) async throws -> Response {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + body
        try await send(text)
        return try await readResponse(hasBody: method != "HEAD")
    }

    /// Sends a WebSocket upgrade request for `target` and reads the answer.
    func upgrade(_ target: String, headers: [(String, String)] = []) async throws -> Response {
        try await request(
            "GET", target,
            headers: [
                ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ] + headers)
    }

    func readResponse(hasBody: Bool = true) async throws -> Response {
        let headerEnd = try await readUntil([13, 10, 13, 10])
        let head = String(decoding: headerEnd.dropLast(4), as: UTF8.self)
        var lines = head.split(separator: "\r\n").map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        let headers = lines.map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        var response = Response(status: Int(statusLine[1]) ?? 0, headers: headers, body: "")
        if hasBody, let length = response.header("content-length").flatMap(Int.init), length > 0 {
            response.body = String(decoding: try await read(count: length), as: UTF8.self)
        }
        return response
    }

    func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        if payload.count < 126 {
            bytes.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            bytes.append(0x80 | 126)
            bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            bytes.append(0x80 | 127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        bytes += mask
        bytes += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await send(bytes: bytes)
    }

    func sendText(_ text: String) async throws {
        try await sendFrame(opcode: 1, payload: Array(text.utf8))
    }

    func readFrame() async throws -> Frame {
        let header = try await read(count: 2)
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            length = try await read(count: 2).reduce(0) { $0 << 8 | Int($1) }
        } else if length == 127 {
            length = try await read(count: 8).reduce(0) { $0 << 8 | Int($1) }
        }
        return Frame(fin: header[0] & 0x80 != 0, opcode: header[0] & 0x0F, payload: try await read(count: length))
    }

    /// The next text or binary frame, skipping Engine.IO pings (answering them when asked).
    func readMessage(answeringPings: Bool = false) async throws -> Frame {
        while true {
            let frame = try await readFrame()
            if frame.opcode == 1, frame.text == "2" {
                if answeringPings { try await sendText("3") }
                continue
            }
            return frame
        }
    }

    /// Waits until the server closes the connection; fails after the timeout.
    func waitForClose() async throws {
        try await waitFor { $0.closed }
    }

    private func read(count: Int) async throws -> [UInt8] {
        try await waitFor { $0.bytes.count >= count || $0.closed }
        return try collector.state.withLock { state in
            guard state.bytes.count >= count else { throw Closed() }
            let bytes = Array(state.bytes.prefix(count))
            state.bytes.removeFirst(count)
            return bytes
        }
    }

    private func readUntil(_ marker: [UInt8]) async throws -> [UInt8] {
        var found: Int?
        try await waitFor { state in
            found = Self.end(of: marker, in: state.bytes)
            return found != nil || state.closed
        }
        guard let end = found else { throw Closed() }
        return try await read(count: end)
    }

    private static func end(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start..<start + marker.count].elementsEqual(marker) {
            return start + marker.count
        }
        return nil
    }

    /// Polls the collected state until `condition` holds; the server's answers arrive within
    /// milliseconds, so a short poll keeps this simple without slowing the tests.
    private func waitFor(_ condition: ((bytes: [UInt8], closed: Bool)) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !collector.state.withLock({ condition($0) }) {
            guard ContinuousClock.now < deadline else { throw Timeout() }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
