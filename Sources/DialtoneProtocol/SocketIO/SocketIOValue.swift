import DialtoneJSON

/// A Socket.IO argument that may hold binary data anywhere inside it. Subtrees without binary
/// stay plain ``JSON``, so a JSON-only argument costs nothing to wrap.
public indirect enum SocketIOValue: Sendable, Hashable {
    case json(JSON)
    case binary([UInt8])
    case array([SocketIOValue])
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: SocketIOValue

        public init(key: String, value: SocketIOValue) {
            self.key = key
            self.value = value
        }
    }
}

extension SocketIOValue {
    /// Replaces each `{"_placeholder":true,"num":N}` in `json` with attachment N.
    public static func reconstruct(_ json: JSON, attachments: [[UInt8]]) throws(SocketIOError) -> SocketIOValue {
        switch json {
        case .object(let object):
            if let placeholder = object["_placeholder"], placeholder == .bool(true) {
                guard let number = object["num"]?.intValue, attachments.indices.contains(number) else {
                    throw .invalidPlaceholder
                }
                return .binary(attachments[number])
            }
            var members: [Member] = []
            var hasBinary = false
            for (key, value) in object {
                let member = try reconstruct(value, attachments: attachments)
                if case .json = member {} else { hasBinary = true }
                members.append(Member(key: key, value: member))
            }
            return hasBinary ? .object(members) : .json(json)
        case .array(let items):
            var values: [SocketIOValue] = []
            var hasBinary = false
            for item in items {
                let value = try reconstruct(item, attachments: attachments)
                if case .json = value {} else { hasBinary = true }
                values.append(value)
            }
            return hasBinary ? .array(values) : .json(json)
        default:
            return .json(json)
        }
    }

    /// Replaces each binary value with a placeholder, appending its bytes to `attachments` in
    /// the order the placeholders are numbered.
    public func deconstruct(attachments: inout [[UInt8]]) -> JSON {
        switch self {
        case .json(let json):
            return json
        case .binary(let bytes):
            attachments.append(bytes)
            return ["_placeholder": true, "num": .number(JSONNumber(attachments.count - 1))]
        case .array(let values):
            return .array(values.map { $0.deconstruct(attachments: &attachments) })
        case .object(let members):
            var object = JSONObject()
            for member in members {
                object.append(key: member.key, value: member.value.deconstruct(attachments: &attachments))
            }
            return .object(object)
        }
    }
}
