import DialtoneJSON
import DialtoneProtocol
import Logging

/// Turns request lines into answer lines with the method table: JSON-RPC 2.0 batches,
/// notifications and errors, params validated against each method's schema.
struct ControlDispatcher: Sendable {
    let backend: any ControlBackend
    /// The `rpc.discover` answer, built once from the same table.
    let discovery: JSON
    let logger: Logger

    init(backend: any ControlBackend, version: String, logger: Logger) {
        self.backend = backend
        self.discovery = OpenRPCDocument.make(methods: ControlMethods.all, version: version)
        self.logger = logger
    }

    /// The answer to one line, newline included, or `nil` when nothing is owed (notifications,
    /// or a blank line). `subscription` is the connection's event filter, which
    /// `events.subscribe`/`events.unsubscribe` change.
    func answer(_ line: [UInt8], subscription: inout ControlEventFilter?, peer: PeerCredentials?) async -> [UInt8]? {
        guard line.contains(where: { !Self.isWhitespace($0) }) else { return nil }
        let incoming = JSONRPCIncoming(parsing: line)
        // Some methods suspend (saving the history), and the codec's assembly is synchronous:
        // run every call first, in order, then let the codec assemble the reply from the outcomes
        // (it calls its handler once per request or notification, in the same order).
        var outcomes: [Result<JSON, JSONRPCError>] = []
        for case .request(let request) in incoming.messages {
            outcomes.append(await run(request, subscription: &subscription, peer: peer))
        }
        var next = outcomes.makeIterator()
        let reply = JSONRPCBatchReply.assemble(for: incoming) { _ throws(JSONRPCError) in
            guard let outcome = next.next() else { throw .internalError() }
            return try outcome.get()
        }
        return reply.map(Self.line)
    }

    /// The error for a line longer than the limit: nothing of it was read, so the id is null.
    func oversizedLineAnswer(limit: Int) -> [UInt8] {
        let error = JSONRPCError(
            code: -32600, message: "Invalid Request: line longer than \(limit) bytes",
            data: ["code": "payload_too_large", "limit": .number(JSONNumber(limit))])
        return Self.line(JSONRPCResponse(id: .null, error: error))
    }

    func notification(_ event: ControlEvent) -> [UInt8] {
        Self.line(JSONRPCRequest.notification("event", params: JSONRPCParams(event.params)))
    }

    func laggedNotification(dropped: Int) -> [UInt8] {
        Self.line(JSONRPCRequest.notification("lagged", params: .object(["dropped": .number(JSONNumber(dropped))])))
    }

    private func run(
        _ request: JSONRPCRequest,
        subscription: inout ControlEventFilter?,
        peer: PeerCredentials?
    ) async -> Result<JSON, JSONRPCError> {
        guard let method = ControlMethods.byName[request.method] else {
            return .failure(.methodNotFound(request.method))
        }
        let params: JSONObject
        switch method.namedParams(request.params?.json) {
        case .success(let named): params = named
        case .failure(let error): return .failure(.invalidParams(error.message))
        }
        var invocation = ControlInvocation(
            params: params, backend: backend, subscription: subscription, discovery: discovery)
        let outcome: Result<JSON, JSONRPCError>
        do {
            outcome = .success(try await method.handler(&invocation))
            subscription = invocation.subscription
        } catch let error as ControlError {
            outcome = .failure(JSONRPCError(code: error.rpcCode, message: error.message, data: error.data))
        } catch {
            outcome = .failure(
                JSONRPCError(code: -32603, message: "Internal error: \(error)", data: ["code": "internal"]))
        }
        if method.isMutating { audit(method.name, params: params, peer: peer, outcome: outcome) }
        return outcome
    }

    /// Calls that change the daemon are logged with who made them, at notice so that a
    /// default-configured daemon keeps the record.
    private func audit(
        _ method: String, params: JSONObject, peer: PeerCredentials?, outcome: Result<JSON, JSONRPCError>
    ) {
        var metadata: Logger.Metadata = peer?.metadata ?? ["dialtone.peer": "unknown"]
        metadata["dialtone.control.method"] = "\(method)"
        var shownParams = JSON.object(params).serialized()
        if shownParams.count > 256 { shownParams = String(shownParams.prefix(256)) + "…" }
        metadata["dialtone.control.params"] = "\(shownParams)"
        switch outcome {
        case .success:
            metadata["dialtone.control.outcome"] = "ok"
        case .failure(let error):
            metadata["dialtone.control.outcome"] = "\(error.applicationCode ?? String(error.code))"
        }
        logger.notice("control call \(method)", metadata: metadata)
    }

    private static func line(_ message: some JSONRPCWritable) -> [UInt8] {
        var bytes: [UInt8] = []
        message.write(into: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\n")
    }
}
