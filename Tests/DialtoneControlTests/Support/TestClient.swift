import DialtoneJSON
import NIOCore
import NIOPosix

/// A control-socket client for tests that sends raw bytes and reads raw lines, without
/// blocking a thread while it waits.
final class TestClient {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []
    /// Bytes at the front of `pending` known to hold no newline.
    private var searched = 0

    private init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects to `path` and runs `body` with the client; closes afterwards.
    static func with<Result>(
        _ path: String,
        _ body: (TestClient) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(TestClient(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    /// Sends exactly these bytes.
    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    func sendLine(_ text: String) async throws {
        try await send(text + "\n")
    }

    /// Closes the sending side only, as `… | socat` does at the end of its input.
    func finishSending() {
        outbound.finish()
    }

    /// The next line, without its newline; `nil` when the server closed.
    func readLine() async throws -> String? {
        while true {
            if let newline = pending[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                searched = 0
                return line
            }
            searched = pending.count
            guard let chunk = try await inbound.next() else {
                return nil
            }
            pending.append(contentsOf: chunk.readableBytesView)
        }
    }

    /// The next line, parsed.
    func readJSON() async throws -> JSON {
        guard let line = try await readLine() else { throw TestFailure("the server closed the connection") }
        return try JSON(parsing: line)
    }

    /// Sends one line and reads one line back.
    func call(_ line: String) async throws -> JSON {
        try await sendLine(line)
        return try await readJSON()
    }

    /// Reads until the connection closes; returns the lines seen.
    func readToEnd() async throws -> [String] {
        var lines: [String] = []
        while let line = try await readLine() { lines.append(line) }
        return lines
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
