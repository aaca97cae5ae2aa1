/// Why a JSON text was rejected, and where: `offset` counts bytes from the start of the input.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of mistake, for matching in code; the description says more.
    public struct Reason: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Hashable {
            case unexpectedEndOfInput
            case unexpectedCharacter
            case invalidNumber
            case invalidEscape
            case loneSurrogate
            case controlCharacterInString
            case invalidUTF8
            case tooDeep
            case trailingCharacters
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input stopped inside a value.
        public static let unexpectedEndOfInput = Reason(.unexpectedEndOfInput)
        /// A byte that cannot start or continue the value at that place.
        public static let unexpectedCharacter = Reason(.unexpectedCharacter)
        /// A number that breaks RFC 8259's grammar, such as `01`, `1.` or `-`.
        public static let invalidNumber = Reason(.invalidNumber)
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        public static let invalidEscape = Reason(.invalidEscape)
        /// A `\u` escape of half a surrogate pair without its other half.
        public static let loneSurrogate = Reason(.loneSurrogate)
        /// A raw byte below U+0020 inside a string, which JSON requires to be escaped.
        public static let controlCharacterInString = Reason(.controlCharacterInString)
        /// Bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Reason(.invalidUTF8)
        /// Arrays and objects nested deeper than the parser's limit.
        public static let tooDeep = Reason(.tooDeep)
        /// Something other than whitespace after the value.
        public static let trailingCharacters = Reason(.trailingCharacters)

        public var description: String {
            switch base {
            case .unexpectedEndOfInput: "unexpected end of input"
            case .unexpectedCharacter: "unexpected character"
            case .invalidNumber: "invalid number"
            case .invalidEscape: "invalid escape"
            case .loneSurrogate: "lone surrogate in \\u escape"
            case .controlCharacterInString: "unescaped control character in string"
            case .invalidUTF8: "invalid UTF-8"
            case .tooDeep: "nesting too deep"
            case .trailingCharacters: "unexpected data after the JSON value"
            }
        }
    }

    public let reason: Reason
    /// Byte offset of the offending input, from the start of the text.
    public let offset: Int
    /// What was expected or found, for people reading the message.
    public let detail: String

    init(_ reason: Reason, at offset: Int, _ detail: String = "") {
        self.reason = reason
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        detail.isEmpty ? "\(reason) at byte \(offset)" : "\(reason) at byte \(offset): \(detail)"
    }
}
