import DialtoneJSON

/// One received JSON-RPC text: a single message or a batch.
///
/// Parsing never fails: text that is not JSON becomes a single ``JSONRPCMessage/invalid(id:error:)``
/// with a Parse error, and an empty batch a single one with Invalid Request, because the
/// specification answers both with one error response rather than an array.
public enum JSONRPCIncoming: Sendable, Hashable {
    case single(JSONRPCMessage)
    /// Never empty.
    case batch([JSONRPCMessage])

    /// Classifies an already parsed JSON value.
    public init(_ json: JSON) {
        guard case .array(let elements) = json else {
            self = .single(JSONRPCMessage(json))
            return
        }
        guard !elements.isEmpty else {
            self = .single(.invalid(id: .null, error: .invalidRequest("empty batch")))
            return
        }
        self = .batch(elements.map(JSONRPCMessage.init))
    }

    public init(parsing bytes: UnsafeRawBufferPointer, maxDepth: Int = JSON.defaultMaxDepth) {
        self.init(
            parsed: Result { () throws(JSONError) in try JSON(parsing: bytes, maxDepth: maxDepth) })
    }

    public init(parsing bytes: [UInt8], maxDepth: Int = JSON.defaultMaxDepth) {
        self.init(
            parsed: Result { () throws(JSONError) in try JSON(parsing: bytes, maxDepth: maxDepth) })
    }

    public init(parsing bytes: ArraySlice<UInt8>, maxDepth: Int = JSON.defaultMaxDepth) {
        self.init(
            parsed: Result { () throws(JSONError) in try JSON(parsing: bytes, maxDepth: maxDepth) })
    }

    public init(parsing text: String, maxDepth: Int = JSON.defaultMaxDepth) {
        self.init(
            parsed: Result { () throws(JSONError) in try JSON(parsing: text, maxDepth: maxDepth) })
    }

    private init(parsed: Result<JSON, JSONError>) {
        switch parsed {
        case .success(let json): self.init(json)
        case .failure(let error):
            self = .single(.invalid(id: .null, error: .parseError(error.description)))
        }
    }

    /// The messages in the order received.
    public var messages: [JSONRPCMessage] {
        switch self {
        case .single(let message): [message]
        case .batch(let messages): messages
        }
    }
}
