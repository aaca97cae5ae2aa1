import DialtoneJSON

/// A registered user as the control interface lists it.
public struct UserSummary: Sendable, Equatable {
    public var userId: UserID
    /// Registered devices, in the order they registered.
    public var devices: [DeviceID]
    /// The user's ringing or active calls.
    public var calls: [String]

    /// `{userId, sessions: [...], calls: [...]}`.
    public func toJSON() -> JSON {
        [
            "userId": .string(userId),
            "sessions": .array(devices.map { .string($0.description) }),
            "calls": .array(calls.map { .string($0) }),
        ]
    }
}
