/// Why a saved record (a history record or a live call in `history.json`) cannot be read back.
public struct PersistenceError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case missing
        case wrongType(expected: String)
        case invalid(reason: String)
    }

    private let kind: Kind
    /// Where the problem is, as a path from the outermost object read, such as `calls[3].createdAt`;
    /// empty for the object itself.
    public let field: String

    private init(_ kind: Kind, field: String) {
        self.kind = kind
        self.field = field
    }

    /// A required field is absent.
    public static func missing(_ field: String) -> PersistenceError { PersistenceError(.missing, field: field) }

    /// A field holds another kind of JSON value than `expected` (such as "a string").
    public static func wrongType(_ field: String, expected: String) -> PersistenceError {
        PersistenceError(.wrongType(expected: expected), field: field)
    }

    /// A field has the right type but a value that cannot be, or contradicts another field.
    public static func invalid(_ field: String, _ reason: String) -> PersistenceError {
        PersistenceError(.invalid(reason: reason), field: field)
    }

    /// The same problem seen from an enclosing value: `prefix` goes in front of ``field``.
    public func inside(_ prefix: String) -> PersistenceError {
        PersistenceError(kind, field: field.isEmpty ? prefix : "\(prefix).\(field)")
    }

    public var description: String {
        let subject = field.isEmpty ? "the value" : "`\(field)`"
        switch kind {
        case .missing: return "\(subject) is missing"
        case .wrongType(let expected): return "\(subject) is not \(expected)"
        case .invalid(let reason): return "\(subject): \(reason)"
        }
    }
}
