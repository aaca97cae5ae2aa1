import DialtoneJSON

/// A call of a method: a request when it has an id, a notification (no reply wanted) when not.
public struct JSONRPCRequest: Sendable, Hashable, JSONRPCWritable {
    /// `nil` for a notification. A present `null` id is a request, answered with `"id":null`.
    public var id: JSONRPCID?
    public var method: String
    public var params: JSONRPCParams?

    public init(id: JSONRPCID?, method: String, params: JSONRPCParams? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }

    /// A notification, as the server sends events to clients.
    public static func notification(_ method: String, params: JSONRPCParams? = nil)
        -> JSONRPCRequest
    {
        JSONRPCRequest(id: nil, method: method, params: params)
    }

    public var isNotification: Bool { id == nil }

    public func write(into bytes: inout [UInt8]) {
        bytes.appendJSONRPCHeader()
        if let id {
            bytes.appendJSONRPCMember("id")
            id.json.write(into: &bytes)
        }
        bytes.appendJSONRPCMember("method")
        JSON.string(method).write(into: &bytes)
        if let params {
            bytes.appendJSONRPCMember("params")
            params.json.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
