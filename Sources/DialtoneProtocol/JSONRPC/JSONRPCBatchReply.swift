import DialtoneJSON

/// What a server sends back for one received text: one response, or an array of them for a batch.
public enum JSONRPCBatchReply: Sendable, Hashable, JSONRPCWritable {
    case single(JSONRPCResponse)
    /// Never empty.
    case batch([JSONRPCResponse])

    /// Runs `handler` on each request and notification of `incoming`, in order, and assembles
    /// the reply the specification asks for. Invalid messages are answered with their error
    /// without calling `handler`; notifications and responses are never answered, so the
    /// result is `nil` when nothing is owed (a notification, or a batch of only those).
    ///
    /// A thrown error is sent as it is; map other failures to ``JSONRPCError/internalError(_:)``.
    /// Synchronous, so a NIO handler can answer on its event loop without a task per message.
    public static func assemble(
        for incoming: JSONRPCIncoming,
        handler: (JSONRPCRequest) throws(JSONRPCError) -> JSON
    ) -> JSONRPCBatchReply? {
        var responses: [JSONRPCResponse] = []
        for message in incoming.messages {
            switch message {
            case .request(let request):
                let outcome: Result<JSON, JSONRPCError>
                do {
                    outcome = .success(try handler(request))
                } catch {
                    outcome = .failure(error)
                }
                if let id = request.id {
                    responses.append(JSONRPCResponse(id: id, outcome: outcome))
                }
            case .invalid(let id, let error):
                responses.append(JSONRPCResponse(id: id, error: error))
            case .response:
                continue
            }
        }
        switch incoming {
        case .single: return responses.first.map(JSONRPCBatchReply.single)
        case .batch: return responses.isEmpty ? nil : .batch(responses)
        }
    }

    public func write(into bytes: inout [UInt8]) {
        switch self {
        case .single(let response):
            response.write(into: &bytes)
        case .batch(let responses):
            bytes.append(UInt8(ascii: "["))
            for (position, response) in responses.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                response.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }
}
