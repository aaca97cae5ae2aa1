import DialtoneJSON

/// Reads the members of a saved JSON object (a live call), with errors that name the member. A member that is
/// `null` counts as absent, as in the files written before this reader existed.
struct PersistedObject {
    private let members: JSONObject

    /// - Throws: ``PersistenceError`` when `value` is not an object.
    init(_ value: JSON) throws(PersistenceError) {
        guard case .object(let members) = value else { throw .wrongType("", expected: "an object") }
        self.members = members
    }

    /// The member's value; nil when absent or `null`.
    func optional(_ key: String) -> JSON? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func required(_ key: String) throws(PersistenceError) -> JSON {
        guard let value = optional(key) else { throw .missing(key) }
        return value
    }

    func string(_ key: String) throws(PersistenceError) -> String {
        try Self.string(try required(key), key)
    }

    func optionalString(_ key: String) throws(PersistenceError) -> String? {
        guard let value = optional(key) else { return nil }
        return try Self.string(value, key)
    }

    func bool(_ key: String, default fallback: Bool) throws(PersistenceError) -> Bool {
        guard let value = optional(key) else { return fallback }
        guard case .bool(let flag) = value else { throw .wrongType(key, expected: "true or false") }
        return flag
    }

    func array(_ key: String) throws(PersistenceError) -> [JSON] {
        guard case .array(let elements) = try required(key) else { throw .wrongType(key, expected: "an array") }
        return elements
    }

    /// A string member that must be one of `Value`'s raw values.
    func value<Value: RawRepresentable<String>>(_ key: String, as type: Value.Type) throws(PersistenceError)
        -> Value
    {
        let text = try string(key)
        guard let value = Value(rawValue: text) else { throw .invalid(key, "\(quoted(text)) is not a known value") }
        return value
    }

    /// An ISO-8601 date-time string.
    func timestamp(_ key: String) throws(PersistenceError) -> Timestamp {
        try Self.timestamp(try string(key), key)
    }

    func optionalTimestamp(_ key: String) throws(PersistenceError) -> Timestamp? {
        guard let text = try optionalString(key) else { return nil }
        return try Self.timestamp(text, key)
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
