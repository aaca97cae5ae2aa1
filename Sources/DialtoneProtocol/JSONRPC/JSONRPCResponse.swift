import DialtoneJSON

/// The reply to one request: its id and either a result or an error.
public struct JSONRPCResponse: Sendable, Hashable, JSONRPCWritable {
    public var id: JSONRPCID
    public var outcome: Result<JSON, JSONRPCError>

    public init(id: JSONRPCID, outcome: Result<JSON, JSONRPCError>) {
        self.id = id
        self.outcome = outcome
    }

    public init(id: JSONRPCID, result: JSON) {
        self.init(id: id, outcome: .success(result))
    }

    public init(id: JSONRPCID, error: JSONRPCError) {
        self.init(id: id, outcome: .failure(error))
    }

    public func write(into bytes: inout [UInt8]) {
        bytes.appendJSONRPCHeader()
        bytes.appendJSONRPCMember("id")
        id.json.write(into: &bytes)
        switch outcome {
        case .success(let result):
            bytes.appendJSONRPCMember("result")
            result.write(into: &bytes)
        case .failure(let error):
            bytes.appendJSONRPCMember("error")
            error.write(into: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}
