import DialtoneJSON

/// The `error` member of a JSON-RPC 2.0 response.
///
/// Unlike the project's other errors this is an open record, not a closed set: it is the wire
/// object itself, and a client must be able to hold any code a server sends.
public struct JSONRPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSON?

    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// -32700: the text is not JSON. Replies to it carry a null id.
    public static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: -32700, message: "Parse error: \(detail)")
    }

    /// -32600: JSON, but not a valid request object.
    public static func invalidRequest(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: -32600, message: "Invalid Request: \(detail)")
    }

    /// -32601: no such method.
    public static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: -32601, message: "Method not found: \(method)")
    }

    /// -32602: the method exists but its parameters are wrong.
    public static func invalidParams(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: -32602, message: "Invalid params: \(detail)")
    }

    /// -32603: the server failed; the detail should not leak internals to untrusted clients.
    public static func internalError(_ detail: String = "internal error") -> JSONRPCError {
        JSONRPCError(code: -32603, message: "Internal error: \(detail)")
    }

    /// An application error with a contract code (`busy`, `call_not_found`, ...) in
    /// `data.code`. `number` must be -32000 or below, outside the codes the specification
    /// reserves for itself.
    public static func application(code: String, message: String, number: Int = -32000)
        -> JSONRPCError
    {
        precondition(number <= -32000, "JSON-RPC application error codes are -32000 or below")
        return JSONRPCError(code: number, message: message, data: ["code": .string(code)])
    }

    /// The contract code of an application error, read back from `data.code`.
    public var applicationCode: String? { data?["code"]?.stringValue }

    public var description: String { "\(code) \(message)" }
}

extension JSONRPCError: JSONRPCWritable {
    /// Writes the error object: `code`, `message`, then `data` when present.
    public func write(into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        bytes.appendJSONRPCMember("code", first: true)
        bytes.append(contentsOf: String(code).utf8)
        bytes.appendJSONRPCMember("message")
        JSON.string(message).write(into: &bytes)
        if let data {
            bytes.appendJSONRPCMember("data")
            data.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
