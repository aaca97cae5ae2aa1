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

/// The server reads EVENTs lazily (`SocketIOIncomingPacket`, `SocketIOEventText`): whatever it
/// reads from the text must be what the full parse says, and it must accept and refuse the same.
func checkIncomingPacket(_ text: Substring) {
    let full = try? SocketIOPacket(text: text)
    let incoming = try? SocketIOIncomingPacket(text: text)
    fuzzCheck((full == nil) == (incoming == nil), "full parse \(String(describing: full)), lazy \(String(describing: incoming))")
    guard let full, case .event(let event)? = incoming else { return }
    fuzzCheck(full.type == .event && full.namespace == event.namespace && full.ackID == event.ackID, "envelope of \(full)")
    fuzzCheck(full.event?.name == event.name, "event name \(event.name) for \(full)")
    fuzzCheck(full.event.map { Array($0.arguments) } == Array(event.arguments()), "arguments of \(full)")
    let keys = ["callId", "to", "candidate", "sdp", "userId"]
    guard let members = SocketIOEventText.firstArgumentMembers(keys, in: event.dataText) else { return }
    let argument = event.arguments().first?.objectValue
    for (key, member) in zip(keys, members) {
        let parsedMember = member.flatMap { try? JSON(parsing: $0.utf8) }
        fuzzCheck(parsedMember == argument?[key], "member \(key) read as \(String(describing: member)) in \(full)")
        if let member, let plain = SocketIOEventText.plainString(member) {
            fuzzCheck(parsedMember == .string(plain), "\(member) read as the plain string \(plain)")
        }
    }
}

runFuzzer { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    checkEngineIOPacket(text)
    checkPollingPayload(text)
    if case .message(let data)? = try? EngineIOPacket(text: text) {
        checkSocketIOPacket(data, attachmentSource: bytes)
        checkIncomingPacket(data)
    }
    checkSocketIOPacket(text[...], attachmentSource: bytes)
    checkIncomingPacket(text[...])
}
