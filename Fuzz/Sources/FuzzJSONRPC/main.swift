import DialtoneJSON
import DialtoneProtocol
import FuzzSupport

// The bytes of one /ws text frame or control-socket line: DialtoneJSON's parser (and its
// validator, which the Socket.IO relay path uses instead), then JSON-RPC single and batch decoding
// and the batch reply, as DeviceWebSocket and ControlDispatcher use them.

func checkJSON(_ bytes: UnsafeRawBufferPointer) {
    guard let json = try? JSON(parsing: bytes) else { return }
    let text = json.serialized()
    let reparsed = try? JSON(parsing: text)
    fuzzCheck(reparsed == json, "\(json) serializes as \(text.debugDescription)")
    fuzzCheck(reparsed?.serialized() == text, "serializing \(text.debugDescription) again differs")
}

func checkRequests(_ incoming: JSONRPCIncoming) {
    for case .request(let request) in incoming.messages {
        let text = request.serialized()
        let reparsed = (try? JSON(parsing: text)).map(JSONRPCMessage.init)
        fuzzCheck(reparsed == .request(request), "request \(request) serializes as \(text.debugDescription)")
    }
}

/// Answers every call (errors for some methods, as a real dispatcher does) and checks the reply is
/// valid JSON holding one response per answerable message.
func checkReply(_ incoming: JSONRPCIncoming) {
    let reply = JSONRPCBatchReply.assemble(for: incoming) { (request) throws(JSONRPCError) -> JSON in
        guard request.method.utf8.count.isMultiple(of: 2) else { throw .methodNotFound(request.method) }
        return request.params?.json ?? .null
    }
    let answerable = incoming.messages.filter { message in
        switch message {
        case .request(let request): !request.isNotification
        case .invalid: true
        case .response: false
        }
    }.count
    guard let reply else {
        fuzzCheck(answerable == 0, "no reply for \(answerable) answerable messages")
        return
    }
    let text = reply.serialized()
    guard let json = try? JSON(parsing: text) else {
        fuzzCheck(false, "reply is not JSON: \(text.debugDescription)")
        return
    }
    switch (incoming, json) {
    case (.single, .object): break
    case (.batch, .array(let responses)):
        fuzzCheck(responses.count == answerable, "\(responses.count) responses for \(answerable) messages")
    default: fuzzCheck(false, "reply \(text.debugDescription) does not match \(incoming)")
    }
}

/// The validator the relay path uses instead of parsing must accept and refuse what the parser
/// does, with the same error.
func checkValidation(_ bytes: UnsafeRawBufferPointer) {
    let parsed = Result { () throws(JSONError) in try JSON(parsing: bytes) }
    let validated = Result { () throws(JSONError) in try JSON.validate(bytes) }
    switch (parsed, validated) {
    case (.success, .success): break
    case (.failure(let parseError), .failure(let validationError)):
        fuzzCheck(parseError == validationError, "parser: \(parseError), validator: \(validationError)")
    default: fuzzCheck(false, "parser \(parsed), validator \(validated)")
    }
}

runFuzzer { bytes in
    checkJSON(bytes)
    checkValidation(bytes)
    let incoming = JSONRPCIncoming(parsing: bytes)
    checkRequests(incoming)
    checkReply(incoming)
    // /ws hands the parser a String; valid UTF-8 must decode the same either way.
    if let text = String(validating: bytes, as: UTF8.self) {
        fuzzCheck(JSONRPCIncoming(parsing: text) == incoming, "String and byte parsing differ for \(text.debugDescription)")
    }
}
