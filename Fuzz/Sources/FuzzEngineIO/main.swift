import DialtoneJSON
import DialtoneProtocol
import FuzzSupport

// One input is read three ways, as the server meets it: an Engine.IO WebSocket text frame, a
// polling request body, and the Socket.IO packet inside a message, whose binary attachments are
// cut from the same bytes. Whatever decodes must encode back to itself.

func checkEngineIOPacket(_ text: String) {
    guard let packet = try? EngineIOPacket(text: text) else { return }
    let reparsed = try? EngineIOPacket(text: packet.encodedText)
    fuzzCheck(reparsed == packet, "Engine.IO packet \(packet) encodes as \(packet.encodedText.debugDescription)")
}

func checkPollingPayload(_ text: String) {
    guard let packets = try? EngineIOPayload.decode(text) else { return }
    let encoded = EngineIOPayload.encode(packets)
    let reparsed = try? EngineIOPayload.decode(encoded)
    fuzzCheck(reparsed == packets, "payload \(packets) encodes as \(encoded.debugDescription)")
}

func checkSocketIOPacket(_ text: Substring, attachmentSource bytes: UnsafeRawBufferPointer) {
    guard let packet = try? SocketIOPacket(text: text) else { return }
    let encoded = packet.encodedText
    let reparsed = try? SocketIOPacket(text: encoded)
    fuzzCheck(reparsed == packet, "Socket.IO packet \(packet) encodes as \(encoded.debugDescription)")
    _ = packet.event
    guard packet.attachmentCount > 0, let data = packet.data else { return }
    let count = packet.attachmentCount
    let attachments = (0..<count).map { index in
        Array(bytes[bytes.count * index / count..<bytes.count * (index + 1) / count])
    }
    guard let value = try? SocketIOValue.reconstruct(data, attachments: attachments) else { return }
    var collected: [[UInt8]] = []
    let placeholders = value.deconstruct(attachments: &collected)
    let rebuilt = try? SocketIOValue.reconstruct(placeholders, attachments: collected)
    fuzzCheck(rebuilt == value, "binary value \(value) deconstructs as \(placeholders) with \(collected)")
}

runFuzzer { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    checkEngineIOPacket(text)
    checkPollingPayload(text)
    if case .message(let data)? = try? EngineIOPacket(text: text) {
        checkSocketIOPacket(data, attachmentSource: bytes)
    }
    checkSocketIOPacket(text[...], attachmentSource: bytes)
}
