import DialtoneJSON
import NIOCore

extension SocketIOEncodedPacket {
    /// An event with one object argument, one of whose members is written as the JSON text it
    /// arrived in rather than serialised again: a relayed ICE candidate or SDP travels as the
    /// bytes the sender wrote, and only the envelope around it is built. The frame is written
    /// straight into one buffer.
    ///
    /// - Parameter verbatim: the member's key and its JSON text; the text replaces the value the
    ///   object holds under that key, which must be what the text parsed to.
    public init(event: String, object: JSONObject, verbatim: (key: String, text: Substring), namespace: String = "/") {
        self.namespace = namespace
        var frame = Self.beginFrame(event: event, namespace: namespace, bodyBytes: verbatim.text.utf8.count)
        var first = true
        for (key, value) in object {
            if !first { frame.writeStaticString(",") }
            first = false
            Self.writeJSONString(key, into: &frame)
            frame.writeStaticString(":")
            if key == verbatim.key {
                frame.writeSubstring(verbatim.text)
            } else if case .string(let string) = value {
                Self.writeJSONString(string, into: &frame)
            } else {
                var bytes: [UInt8] = []
                value.write(into: &bytes)
                frame.writeBytes(bytes)
            }
        }
        frame.writeStaticString("}]")
        self.frame = frame
    }

    /// An event with one object argument: string members, then one member written as the JSON
    /// text it arrived in (see ``init(event:object:verbatim:namespace:)``), with no `JSONObject`
    /// built for it.
    public init(
        event: String, strings: KeyValuePairs<String, String>, verbatim: (key: String, text: Substring),
        namespace: String = "/"
    ) {
        self.namespace = namespace
        var frame = Self.beginFrame(event: event, namespace: namespace, bodyBytes: verbatim.text.utf8.count)
        for (key, value) in strings {
            Self.writeJSONString(key, into: &frame)
            frame.writeStaticString(":")
            Self.writeJSONString(value, into: &frame)
            frame.writeStaticString(",")
        }
        Self.writeJSONString(verbatim.key, into: &frame)
        frame.writeStaticString(":")
        frame.writeSubstring(verbatim.text)
        frame.writeStaticString("}]")
        self.frame = frame
    }

    /// A buffer holding `42[<namespace>,]["<event>",{`.
    private static func beginFrame(event: String, namespace: String, bodyBytes: Int) -> ByteBuffer {
        var frame = WebSocketConnection.frameBuffer(capacity: bodyBytes + event.utf8.count + namespace.utf8.count + 128)
        frame.writeStaticString("42")
        if namespace != "/" {
            frame.writeString(namespace)
            frame.writeStaticString(",")
        }
        frame.writeStaticString("[")
        writeJSONString(event, into: &frame)
        frame.writeStaticString(",{")
        return frame
    }

    /// Strings without characters to escape (ids, user names, event names: nearly all of them)
    /// are written as they are, and checked where they were written; the others are written
    /// again by the serialiser.
    private static func writeJSONString(_ string: String, into frame: inout ByteBuffer) {
        let start = frame.writerIndex
        frame.writeStaticString("\"")
        let written = frame.writeString(string)
        let plain = frame.withUnsafeReadableBytes { bytes in
            let offset = start + 1 - frame.readerIndex
            for byte in bytes[offset..<(offset + written)]
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            return true
        }
        if plain {
            frame.writeStaticString("\"")
        } else {
            frame.moveWriterIndex(to: start)
            var bytes: [UInt8] = []
            JSON.string(string).write(into: &bytes)
            frame.writeBytes(bytes)
        }
    }
}
