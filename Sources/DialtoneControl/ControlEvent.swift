import DialtoneCore
import DialtoneJSON
import Foundation

/// One call or presence change, as the backend reports it to control subscribers.
public struct ControlEvent: Sendable, Hashable {
    /// Dotted, subject first, e.g. `call.ended`; see ``knownTypes``.
    public let type: String
    /// When it happened, by the backend's clock.
    public let time: Date
    /// The members after `type` and `time` in the notification, such as `callId`.
    public let fields: JSONObject

    public init(type: String, time: Date, fields: JSONObject) {
        self.type = type
        self.time = time
        self.fields = fields
    }

    /// The event types the daemon reports, which `events.subscribe {types}` accepts.
    public static let knownTypes = Observation.types

    /// Subjects that stand for all their types in a filter: `call` means every `call.*` type.
    public static let knownSubjects: [String] = knownTypes.reduce(into: []) { subjects, type in
        let subject = String(type.prefix { $0 != "." })
        if !subjects.contains(subject) { subjects.append(subject) }
    }

    /// The `params` of the `event` notification: `{"type", "time", ...fields}`.
    public var params: JSON {
        var params: JSONObject = ["type": .string(type), "time": .string(ControlTime.format(time))]
        for (key, value) in fields where key != "type" && key != "time" { params[key] = value }
        return .object(params)
    }
}
