import DialtoneJSON

/// A request id as the client wrote it: replies must echo it exactly, including the text of a
/// number (`1.50` stays `1.50`).
public enum JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(JSONNumber)
    case null

    /// The id a `JSON` value stands for; `nil` for booleans, arrays and objects, which the
    /// specification does not allow as ids.
    public init?(_ json: JSON) {
        switch json {
        case .string(let value): self = .string(value)
        case .number(let value): self = .number(value)
        case .null: self = .null
        case .bool, .array, .object: return nil
        }
    }

    public var json: JSON {
        switch self {
        case .string(let value): .string(value)
        case .number(let value): .number(value)
        case .null: .null
        }
    }

    public var description: String { json.serialized() }
}
