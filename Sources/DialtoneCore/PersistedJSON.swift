import DialtoneJSON

// TEMPORARY BRIDGE: `JSON` gets its own Codable conformance on branch `json`. Once that is merged,
// delete this file and encode/decode `JSON?` directly in LiveCall+Codable.swift.
// Through Codable, object key order and number text are not guaranteed to survive (Foundation's
// decoder hands keys back unordered), which only matters for a call restored after a restart.

/// Carries a `JSON` value through `Codable`.
struct PersistedJSON: Codable {
    let value: JSON

    init(_ value: JSON) { self.value = value }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            var members = JSONObject()
            for key in object.allKeys {
                members.append(key: key.stringValue, value: try object.decode(PersistedJSON.self, forKey: key).value)
            }
            value = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [JSON] = []
            while !array.isAtEnd { elements.append(try array.decode(PersistedJSON.self).value) }
            value = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                value = .null
            } else if let bool = try? single.decode(Bool.self) {
                value = .bool(bool)
            } else if let integer = try? single.decode(Int.self) {
                value = .number(JSONNumber(integer))
            } else if let double = try? single.decode(Double.self) {
                value = .number(JSONNumber(double))
            } else {
                value = .string(try single.decode(String.self))
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let bool):
            var single = encoder.singleValueContainer()
            try single.encode(bool)
        case .number(let number):
            var single = encoder.singleValueContainer()
            if let integer = number.intValue {
                try single.encode(integer)
            } else {
                try single.encode(number.doubleValue ?? 0)
            }
        case .string(let string):
            var single = encoder.singleValueContainer()
            try single.encode(string)
        case .array(let elements):
            var array = encoder.unkeyedContainer()
            for element in elements { try array.encode(PersistedJSON(element)) }
        case .object(let members):
            var object = encoder.container(keyedBy: Key.self)
            for member in members {
                try object.encode(PersistedJSON(member.value), forKey: Key(stringValue: member.key))
            }
        }
    }
}
