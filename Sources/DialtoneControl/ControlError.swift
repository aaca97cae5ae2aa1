import DialtoneJSON

/// An application error of a control method: one of the contract's error codes, a message for
/// people, and optional details. It travels as a JSON-RPC error whose `data.code` is ``code``.
public struct ControlError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: String, CaseIterable {
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

        /// Application errors get distinct numbers at −32000 and below so scripts can branch
        /// on either the number or `data.code`; `internal` is JSON-RPC's own internal error.
        var rpcCode: Int {
            switch self {
            case .badRequest: -32000
            case .unauthorized: -32001
            case .notRegistered: -32002
            case .userOffline: -32003
            case .busy: -32004
            case .callNotFound: -32005
            case .notAParticipant: -32006
            case .invalidState: -32007
            case .rateLimited: -32008
            case .payloadTooLarge: -32009
            case .internal: -32603
            }
        }
    }

    private let kind: Kind
    /// A sentence for people; scripts should match ``code`` instead.
    public let message: String
    /// Extra members of the error's `data` object, next to `code`.
    public let details: JSONObject

    private init(_ kind: Kind, _ message: String, _ details: JSONObject = [:]) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    /// Maps a contract error code given as text (as the signaling core reports it); a code
    /// outside the contract's list becomes `internal`, keeping the original in `data.reason`.
    public init(code: String, message: String, details: JSONObject = [:]) {
        if let kind = Kind(rawValue: code) {
            self.init(kind, message, details)
        } else {
            var details = details
            details["reason"] = .string(code)
            self.init(.internal, message, details)
        }
    }

    /// The contract's error code, e.g. `call_not_found`: the error's `data.code`.
    public var code: String { kind.rawValue }
    /// The JSON-RPC error number.
    public var rpcCode: Int { kind.rpcCode }
    public var description: String { "\(code): \(message)" }

    /// Every contract code with its JSON-RPC number, for documentation (`rpc.discover`).
    public static var allCodes: [(code: String, rpcCode: Int)] {
        Kind.allCases.map { ($0.rawValue, $0.rpcCode) }
    }

    public static func badRequest(_ message: String, details: JSONObject = [:]) -> ControlError {
        ControlError(.badRequest, message, details)
    }

    public static func unauthorized(_ message: String) -> ControlError {
        ControlError(.unauthorized, message)
    }

    public static func notRegistered(_ message: String) -> ControlError {
        ControlError(.notRegistered, message)
    }

    public static func userOffline(_ userId: String) -> ControlError {
        ControlError(.userOffline, "user \(userId) is not connected", ["userId": .string(userId)])
    }

    public static func busy(_ message: String) -> ControlError {
        ControlError(.busy, message)
    }

    public static func callNotFound(_ callId: String) -> ControlError {
        ControlError(.callNotFound, "call \(callId) not found", ["callId": .string(callId)])
    }

    public static func notAParticipant(_ message: String) -> ControlError {
        ControlError(.notAParticipant, message)
    }

    public static func invalidState(_ message: String) -> ControlError {
        ControlError(.invalidState, message)
    }

    public static func rateLimited(_ message: String) -> ControlError {
        ControlError(.rateLimited, message)
    }

    public static func payloadTooLarge(_ message: String, details: JSONObject = [:]) -> ControlError {
        ControlError(.payloadTooLarge, message, details)
    }

    public static func `internal`(_ message: String) -> ControlError {
        ControlError(.internal, message)
    }

    /// The JSON-RPC `data` member: `{"code": ..., ...details}`.
    public var data: JSON {
        var data: JSONObject = ["code": .string(code)]
        for (key, value) in details where key != "code" { data[key] = value }
        return .object(data)
    }
}
