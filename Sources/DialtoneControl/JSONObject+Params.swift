import DialtoneJSON
import Foundation

/// Readers for params the method's schema has already validated.
extension JSONObject {
    func string(_ key: String) -> String? { self[key]?.stringValue }

    func requiredString(_ key: String) throws -> String {
        guard let value = string(key) else { throw ControlError.badRequest("\(key) is required") }
        return value
    }

    func int(_ key: String) -> Int? { self[key]?.numberValue?.exactInteger }

    func date(_ key: String) -> Date? { string(key).flatMap(ControlTime.parse) }
}
