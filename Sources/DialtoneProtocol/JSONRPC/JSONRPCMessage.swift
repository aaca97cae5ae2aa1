import DialtoneJSON

/// One JSON-RPC 2.0 message, as classified by ``init(_:)``.
public enum JSONRPCMessage: Sendable, Hashable {
    /// A request or a notification; servers dispatch these.
    case request(JSONRPCRequest)
    /// A reply; clients match these to their requests, servers ignore them.
    case response(JSONRPCResponse)
    /// Not a valid message. A server answers with `error` under `id`: the message's id when it
    /// had a well-formed one, else null.
    case invalid(id: JSONRPCID, error: JSONRPCError)

    /// Classifies one JSON value by the JSON-RPC 2.0 specification. Never fails: anything
    /// malformed becomes ``invalid(id:error:)`` with an Invalid Request error.
    public init(_ json: JSON) {
        guard case .object(let members) = json else {
            self = .invalid(id: .null, error: .invalidRequest("a message must be an object"))
            return
        }
        let rawID = members["id"]
        let id = rawID.flatMap(JSONRPCID.init)
        func invalid(_ detail: String) -> JSONRPCMessage {
            .invalid(id: id ?? .null, error: .invalidRequest(detail))
        }
        guard members["jsonrpc"] == "2.0" else {
            self = invalid(#"member "jsonrpc" must be "2.0""#)
            return
        }
        if rawID != nil, id == nil {
            self = invalid(#"member "id" must be a string, a number or null"#)
            return
        }
        if let method = members["method"] {
            let request = JSONRPCMessage.request(id: id, method: method, params: members["params"])
            self =
                request
                ?? invalid(
                    method.stringValue == nil
                        ? #"member "method" must be a string"#
                        : #"member "params" must be an array or an object"#)
        } else if members["result"] != nil || members["error"] != nil {
            let response = JSONRPCMessage.response(
                id: id, result: members["result"], error: members["error"])
            self = response ?? invalid(JSONRPCMessage.malformedResponse)
        } else {
            self = invalid(#"member "method" is missing"#)
        }
    }

    private static let malformedResponse = """
        a response needs an "id" and either a "result" or an "error" object \
        with an integer "code" and a string "message"
        """

    private static func request(id: JSONRPCID?, method: JSON, params: JSON?) -> JSONRPCMessage? {
        guard let method = method.stringValue else { return nil }
        guard let params else { return .request(JSONRPCRequest(id: id, method: method)) }
        return JSONRPCParams(params).map {
            .request(JSONRPCRequest(id: id, method: method, params: $0))
        }
    }

    private static func response(id: JSONRPCID?, result: JSON?, error: JSON?) -> JSONRPCMessage? {
        guard let id else { return nil }
        switch (result, error) {
        case (let result?, nil):
            return .response(JSONRPCResponse(id: id, result: result))
        case (nil, let error?):
            guard let code = error["code"]?.numberValue.flatMap({ Int($0.text) }),
                let message = error["message"]?.stringValue
            else { return nil }
            return .response(
                JSONRPCResponse(
                    id: id, error: JSONRPCError(code: code, message: message, data: error["data"])))
        default:
            return nil
        }
    }
}
