import DialtoneCore
import NIOCore

extension RelayMessage {
    /// The message as a Socket.IO event, `42["<event>",{"callId":...,"from":...,"<bodyKey>":<body>}]`.
    ///
    /// Every relayed message is encoded here, so the usual case (namespace `/`, ids that need no
    /// escapes) is one copy of each part into one buffer, around fixed parts per kind; anything
    /// else goes through the general encoder, which writes the same text.
    func socketIOPacket(namespace: String) -> SocketIOEncodedPacket {
        var callId = callId
        var from = from
        let frame = callId.withUTF8 { callId -> ByteBuffer? in
            from.withUTF8 { from -> ByteBuffer? in
                guard namespace == "/", Self.needsNoEscapes(callId), Self.needsNoEscapes(from) else { return nil }
                let frame = body.text.utf8.withContiguousStorageIfAvailable { body in
                    self.frame(
                        callId: UnsafeRawBufferPointer(callId), from: UnsafeRawBufferPointer(from),
                        body: UnsafeRawBufferPointer(body))
                }
                return frame
            }
        }
        if let frame { return SocketIOEncodedPacket(frame: frame, namespace: namespace) }
        return SocketIOEncodedPacket(
            event: kind.event, strings: ["callId": self.callId, "from": self.from], verbatim: (body.key, body.text),
            namespace: namespace)
    }

    private func frame(callId: UnsafeRawBufferPointer, from: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer)
        -> ByteBuffer
    {
        let (head, tail) = Self.fixedParts(kind)
        let parts = [
            Self.bytes(head), callId, Self.bytes(Self.fromKey), from, Self.bytes(tail), body, Self.bytes(Self.end),
        ]
        let count = parts.reduce(0) { $0 + $1.count }
        var frame = WebSocketConnection.frameBuffer(capacity: count)
        frame.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { out in
            var offset = 0
            for part in parts where !part.isEmpty {
                UnsafeMutableRawBufferPointer(rebasing: out[offset..<(offset + part.count)]).copyMemory(from: part)
                offset += part.count
            }
            return offset
        }
        return frame
    }

    /// The text up to the call id's value, and from the sender's value to the body's.
    private static func fixedParts(_ kind: RelayKind) -> (head: StaticString, tail: StaticString) {
        switch kind {
        case .iceCandidate: (#"42["ice_candidate",{"callId":""#, #"","candidate":"#)
        case .offer: (#"42["offer",{"callId":""#, #"","sdp":"#)
        case .answer: (#"42["answer",{"callId":""#, #"","sdp":"#)
        }
    }

    private static let fromKey: StaticString = #"","from":""#
    private static let end: StaticString = "}]"

    private static func bytes(_ string: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount)
    }

    /// Whether the UTF-8 text can stand between quotes as it is.
    private static func needsNoEscapes(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in text where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            return false
        }
        return true
    }
}
