/// `Codable` lets a payload travel inside other `Codable` types through Foundation's
/// `JSONEncoder`/`JSONDecoder` (history.json does not: it is read and written with the parser and
/// serializer of this module). That path is not lossless, unlike ``JSON/init(parsing:maxDepth:)-(UnsafeRawBufferPointer,_)``
/// and ``JSON/serialized()``:
/// - Foundation's `JSONDecoder` hands object keys over in no particular order, so decoded
///   objects may be reordered, and of duplicate keys only one survives.
/// - Numbers cross the coder as `Int64`, `UInt64` or `Double`: integers in those ranges keep
///   their value, other numbers are rounded to a `Double` and take its spelling (`1.50` → `1.5`).
extension JSON: Codable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() {
                self = .null
                return
            }
            if let value = try? container.decode(Bool.self) {
                self = .bool(value)
                return
            }
            if let value = try? container.decode(Int64.self) {
                self = .number(JSONNumber(unchecked: String(value)))
                return
            }
            if let value = try? container.decode(UInt64.self) {
                self = .number(JSONNumber(unchecked: String(value)))
                return
            }
            if let value = try? container.decode(Double.self), value.isFinite {
                self = .number(JSONNumber(value))
                return
            }
            if let value = try? container.decode(String.self) {
                self = .string(value)
                return
            }
        }
        if let container = try? decoder.container(keyedBy: MemberKey.self) {
            var object = JSONObject()
            for key in container.allKeys {
                object.append(
                    key: key.stringValue, value: try container.decode(JSON.self, forKey: key))
            }
            self = .object(object)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [JSON] = []
            while !container.isAtEnd {
                elements.append(try container.decode(JSON.self))
            }
            self = .array(elements)
            return
        }
        throw DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "not a JSON value"))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let number):
            var container = encoder.singleValueContainer()
            if let value = Int64(number.text) {
                try container.encode(value)
            } else if let value = UInt64(number.text) {
                try container.encode(value)
            } else if let value = number.doubleValue, value.isFinite {
                try container.encode(value)
            } else {
                throw EncodingError.invalidValue(
                    self,
                    EncodingError.Context(
                        codingPath: encoder.codingPath,
                        debugDescription: "number \(number.text) is out of the range of Double"))
            }
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements {
                try container.encode(element)
            }
        case .object(let object):
            var container = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in object {
                try container.encode(value, forKey: MemberKey(stringValue: key))
            }
        }
    }
}

/// Any object member name as a coding key.
private struct MemberKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
