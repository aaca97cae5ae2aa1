import DialtoneJSON

/// Counts for `/status`, metrics and the control interface.
public struct CoreStatus: Sendable, Equatable {
    /// Users with at least one registered device.
    public var connectedUsers: Int
    /// Connected devices, registered or not.
    public var connectedDevices: Int
    public var ringingCalls: Int
    public var activeCalls: Int
    /// Calls in history.
    public var totalCalls: Int
    /// Calls in history by end reason; every reason is present, zero included.
    public var callsByEndReason: [EndReason: Int]
    /// Mean duration of the answered calls in history; 0 when there are none.
    public var averageDurationSeconds: Double

    /// `{connectedUsers, connectedDevices, ringingCalls, activeCalls, totalCalls, callsByEndReason:
    /// {hangup, cancelled, ...}, averageDurationSeconds}`.
    public func toJSON() -> JSONObject {
        var reasons = JSONObject()
        for reason in EndReason.allCases {
            reasons[reason.rawValue] = .number(JSONNumber(callsByEndReason[reason] ?? 0))
        }
        return [
            "connectedUsers": .number(JSONNumber(connectedUsers)),
            "connectedDevices": .number(JSONNumber(connectedDevices)),
            "ringingCalls": .number(JSONNumber(ringingCalls)),
            "activeCalls": .number(JSONNumber(activeCalls)),
            "totalCalls": .number(JSONNumber(totalCalls)),
            "callsByEndReason": .object(reasons),
            "averageDurationSeconds": .number(JSONNumber(averageDurationSeconds)),
        ]
    }
}
