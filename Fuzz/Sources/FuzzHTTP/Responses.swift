import NIOCore
import NIOEmbedded

/// What the server wrote back, as far as the oracle needs it. The response encoder writes each
/// head as its own buffer, so a buffer that starts with the status line is a head.
struct Responses {
    private(set) var statuses: [Int] = []
    private(set) var bodies: [String] = []

    var serverErrors: [Int] { statuses.filter { $0 >= 500 && $0 != 503 } }

    /// Source paths, stack traces or Swift error dumps in anything a client can read.
    var leakedInternals: Bool {
        bodies.contains { body in ["Swift.", ".swift", "Fatal error", "DialtoneServer", "NIOCore."].contains(where: body.contains) }
    }

    mutating func take(from channel: EmbeddedChannel) {
        while let data = try? channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { continue }
            let text = String(buffer: buffer)
            if text.hasPrefix("HTTP/1.1 "), let status = Int(text.dropFirst(9).prefix(3)) {
                statuses.append(status)
            } else {
                bodies.append(text)
            }
        }
    }
}
