/// A JSON value that keeps what a relay must not change: the order of object keys and the
/// exact text of numbers. Payloads such as SDP offers and ICE candidates pass through dialtone
/// as `JSON` and must reach the other side as they were sent.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

/// A number as the text it was written with, so `1.50` stays `1.50` and large integers keep
/// every digit.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// Accepts only text that is a JSON number by RFC 8259.
    public init?(text: String) {
        guard JSONNumber.isValid(text.utf8) else { return nil }
        self.text = text
    }

    public init(_ value: Int) { self.text = String(value) }

    public init(_ value: Double) {
        precondition(value.isFinite, "JSON has no representation for \(value)")
        if value == value.rounded(), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = String(value)
        }
    }

    init(unchecked text: String) { self.text = text }

    public var description: String { text }
    public var intValue: Int? { Int(text) }
    public var doubleValue: Double? { Double(text) }

    static func isValid(_ utf8: some Collection<UInt8>) -> Bool {
        var index = utf8.startIndex
        func peek() -> UInt8? { index < utf8.endIndex ? utf8[index] : nil }
        func advance() { index = utf8.index(after: index) }
        func digits() -> Int {
            var count = 0
            while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                advance()
                count += 1
            }
            return count
        }
        if peek() == UInt8(ascii: "-") { advance() }
        if peek() == UInt8(ascii: "0") {
            advance()
        } else if digits() == 0 {
            return false
        }
        if peek() == UInt8(ascii: ".") {
            advance()
            if digits() == 0 { return false }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            advance()
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { advance() }
            if digits() == 0 { return false }
        }
        return index == utf8.endIndex
    }
}

/// An object's members in the order they were written. Lookups are linear: signaling payloads
/// have a handful of keys, and order matters more than asymptotics here.
public struct JSONObject: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Member = (key: String, value: JSON)

    private(set) var keys: [String]
    private(set) var values: [JSON]

    public init() {
        keys = []
        values = []
    }

    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// Setting a key that exists replaces its value in place; a new key goes last;
    /// setting `nil` removes the key.
    public subscript(key: String) -> JSON? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Appends without looking for an existing key: for parsers, which keep duplicates as written.
    public mutating func append(key: String, value: JSON) {
        keys.append(key)
        values.append(value)
    }

    /// Builds an object from parallel arrays of keys and values, as the parser collects them.
    init(keys: [String], values: [JSON]) {
        self.keys = keys
        self.values = values
    }

    /// A concrete iterator: an opaque one costs a runtime metadata lookup per object walked,
    /// which showed up when serialising.
    public struct Iterator: IteratorProtocol {
        private let keys: [String]
        private let values: [JSON]
        private var position = 0

        fileprivate init(keys: [String], values: [JSON]) {
            self.keys = keys
            self.values = values
        }

        public mutating func next() -> Member? {
            guard position < keys.count else { return nil }
            defer { position += 1 }
            return (key: keys[position], value: values[position])
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(keys: keys, values: values)
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSON {
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var intValue: Int? { numberValue?.intValue }
    public var doubleValue: Double? { numberValue?.doubleValue }

    public var arrayValue: [JSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Member lookup on an object; `nil` for any other value.
    public subscript(key: String) -> JSON? { objectValue?[key] }
}
