/// The error codes of the wire contract, shared by device acks, `/ws`, HTTP and the control socket.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    private enum Base: String, CaseIterable {
        case badRequest = "bad_request"
        case unauthorized
        case notRegistered = "not_registered"
        case userOffline = "user_offline"
        case busy
        case callNotFound = "call_not_found"
        case notAParticipant = "not_a_participant"
        case invalidState = "invalid_state"
        case rateLimited = "rate_limited"
        case payloadTooLarge = "payload_too_large"
        case `internal`
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// Only the contract's codes exist; any other text is nil.
    public init?(rawValue: String) {
        guard let base = Base(rawValue: rawValue) else { return nil }
        self.base = base
    }

    public var rawValue: String { base.rawValue }
    public var description: String { base.rawValue }

    public static var allCases: [ErrorCode] { Base.allCases.map(ErrorCode.init) }

    public static let badRequest = ErrorCode(.badRequest)
    public static let unauthorized = ErrorCode(.unauthorized)
    public static let notRegistered = ErrorCode(.notRegistered)
    public static let userOffline = ErrorCode(.userOffline)
    public static let busy = ErrorCode(.busy)
    public static let callNotFound = ErrorCode(.callNotFound)
    public static let notAParticipant = ErrorCode(.notAParticipant)
    public static let invalidState = ErrorCode(.invalidState)
    public static let rateLimited = ErrorCode(.rateLimited)
    public static let payloadTooLarge = ErrorCode(.payloadTooLarge)
    public static let `internal` = ErrorCode(.internal)
}
