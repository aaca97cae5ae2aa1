import DialtoneCore
import DialtoneJSON

/// An application error of a control method: one of the contract's error codes, a message for
/// people, and optional details. It travels as a JSON-RPC error whose `data.code` is ``code``.
public struct ControlError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Application errors get distinct numbers at −32000 and below so scripts can branch on
    /// either the number or `data.code`; `internal` is JSON-RPC's own internal error. Written
    /// out, not derived from the order of the codes: the numbers are part of the interface.
    private static func rpcNumber(of code: ErrorCode) -> Int {
        switch code {
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
        default: -32603
        }
    }

    private let errorCode: ErrorCode
    /// A sentence for people; scripts should match ``code`` instead.
    public let message: String
    /// Extra members of the error's `data` object, next to `code`.
    public let details: JSONObject

    private init(_ errorCode: ErrorCode, _ message: String, _ details: JSONObject = [:]) {
        self.errorCode = errorCode
        self.message = message
        self.details = details
    }

    /// Maps a contract error code given as text (as the signaling core reports it); a code
    /// outside the contract's list becomes `internal`, keeping the original in `data.reason`.
    public init(code: String, message: String, details: JSONObject = [:]) {
        if let errorCode = ErrorCode(rawValue: code) {
            self.init(errorCode, message, details)
        } else {
            var details = details
            details["reason"] = .string(code)
            self.init(.internal, message, details)
        }
    }

    /// The contract's error code, e.g. `call_not_found`: the error's `data.code`.
    public var code: String { errorCode.rawValue }
    /// The JSON-RPC error number.
    public var rpcCode: Int { Self.rpcNumber(of: errorCode) }
    public var description: String { "\(code): \(message)" }

    /// Every contract code with its JSON-RPC number, for documentation (`rpc.discover`).
    public static var allCodes: [(code: String, rpcCode: Int)] {
        ErrorCode.allCases.map { ($0.rawValue, rpcNumber(of: $0)) }
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
