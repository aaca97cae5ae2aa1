import Crypto
import DialtoneProtocol
import NIOCore
import NIOHTTP1

/// The server side of the RFC 6455 opening handshake, done by hand so a keep-alive connection
/// that already served plain HTTP requests (as Engine.IO clients reuse for the upgrade) can
/// still be upgraded.
enum WebSocketHandshake {
    private static let magicGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Whether the request asks for a WebSocket at all (valid or not).
    static func isRequested(_ head: HTTPRequestHead) -> Bool {
        head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
    }

    /// The `Sec-WebSocket-Accept` value for a valid upgrade request, `nil` for an invalid one.
    static func acceptValue(for head: HTTPRequestHead) -> String? {
        guard head.method == .GET, head.version.major > 1 || (head.version.major == 1 && head.version.minor >= 1),
            head.headers[canonicalForm: "connection"].contains(where: { $0.lowercased() == "upgrade" }),
            head.headers["sec-websocket-version"].first == "13",
            let key = head.headers["sec-websocket-key"].first,
            let keyBytes = Base64.decode(key.utf8), keyBytes.count == 16
        else { return nil }
        let digest = Insecure.SHA1.hash(data: Array((key + magicGUID).utf8))
        return Base64.encode(Array(digest))
    }

    /// The raw `101 Switching Protocols` response, written after the HTTP encoder is gone.
    static func switchingProtocolsResponse(accept: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        allocator.buffer(
            string: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(accept)\r\n\r\n")
    }
}
