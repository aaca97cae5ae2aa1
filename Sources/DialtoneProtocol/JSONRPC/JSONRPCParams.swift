import DialtoneJSON

/// Request parameters: by position or by name, the only two forms JSON-RPC 2.0 allows.
public enum JSONRPCParams: Sendable, Hashable {
    case array([JSON])
    case object(JSONObject)

    /// The parameters a `JSON` value stands for; `nil` unless it is an array or an object.
    public init?(_ json: JSON) {
        switch json {
        case .array(let elements): self = .array(elements)
        case .object(let members): self = .object(members)
        case .null, .bool, .number, .string: return nil
        }
    }

    public var json: JSON {
        switch self {
        case .array(let elements): .array(elements)
        case .object(let members): .object(members)
        }
    }

    /// A named parameter; `nil` when absent or when the parameters are positional.
    public subscript(name: String) -> JSON? {
        if case .object(let members) = self { return members[name] }
        return nil
    }
}
