import DialtoneJSON

/// Reads the members of a saved JSON object, with errors that name the member. A member that is
/// `null` counts as absent, as in the files written before this reader existed.
public struct PersistedObject {
    private let members: JSONObject

    /// - Throws: ``PersistenceError`` when `value` is not an object.
    public init(_ value: JSON) throws(PersistenceError) {
        guard case .object(let members) = value else { throw .wrongType("", expected: "an object") }
        self.members = members
    }

    /// The member's value; nil when absent or `null`.
    public func optional(_ key: String) -> JSON? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    public func required(_ key: String) throws(PersistenceError) -> JSON {
        guard let value = optional(key) else { throw .missing(key) }
        return value
    }

    public func string(_ key: String) throws(PersistenceError) -> String {
        try Self.string(try required(key), key)
    }

    public func optionalString(_ key: String) throws(PersistenceError) -> String? {
        guard let value = optional(key) else { return nil }
        return try Self.string(value, key)
    }

    public func int(_ key: String) throws(PersistenceError) -> Int {
        guard let number = try required(key).intValue else { throw .wrongType(key, expected: "an integer") }
        return number
    }

    public func bool(_ key: String, default fallback: Bool) throws(PersistenceError) -> Bool {
        guard let value = optional(key) else { return fallback }
        guard case .bool(let flag) = value else { throw .wrongType(key, expected: "true or false") }
        return flag
    }

    public func array(_ key: String) throws(PersistenceError) -> [JSON] {
        guard case .array(let elements) = try required(key) else { throw .wrongType(key, expected: "an array") }
        return elements
    }

    /// A string member that must be one of `Value`'s raw values.
    public func value<Value: RawRepresentable<String>>(_ key: String, as type: Value.Type) throws(PersistenceError)
        -> Value
    {
        let text = try string(key)
        guard let value = Value(rawValue: text) else { throw .invalid(key, "\(quoted(text)) is not a known value") }
        return value
    }

    /// An ISO-8601 date-time string.
    public func timestamp(_ key: String) throws(PersistenceError) -> Timestamp {
        try Self.timestamp(try string(key), key)
    }

    public func optionalTimestamp(_ key: String) throws(PersistenceError) -> Timestamp? {
        guard let text = try optionalString(key) else { return nil }
        return try Self.timestamp(text, key)
    }

    /// An array of strings.
    public func strings(_ key: String) throws(PersistenceError) -> [String] {
        var result: [String] = []
        for (index, element) in try array(key).enumerated() {
            result.append(try Self.string(element, "\(key)[\(index)]"))
        }
        return result
    }

    private static func string(_ value: JSON, _ key: String) throws(PersistenceError) -> String {
        guard case .string(let text) = value else { throw .wrongType(key, expected: "a string") }
        return text
    }

    private static func timestamp(_ text: String, _ key: String) throws(PersistenceError) -> Timestamp {
        guard let timestamp = Timestamp(iso8601: text) else {
            throw .invalid(key, "\(quoted(text)) is not an ISO-8601 date-time")
        }
        return timestamp
    }
}
