import NIOCore

/// One inbound unit of the control protocol: a line, or the news that a line was too long
/// (its bytes are discarded up to the next newline).
enum ControlFrame: Sendable {
    case line(ByteBuffer)
    case oversized(limit: Int)
}
