/// One invited user of a live call, the caller included.
public struct Participant: Sendable, Equatable {
    /// Where a participant stands in the call.
    public enum State: String, Codable, Sendable {
        /// Invited; every device of the user rings.
        case ringing
        /// In the call: the caller from the start, a callee once it accepted or joined.
        case joined
        /// Declined, left, did not answer, or dropped for longer than the reconnect grace. A group
        /// invitee who left may join again while the call lives.
        case left
    }

    public let userId: UserID
    public internal(set) var state: State
    /// The device carrying this participant's media; nil while ringing (all devices ring), in
    /// reconnect grace, or after leaving. Not persisted: devices do not survive a restart.
    public internal(set) var device: DeviceID?
    /// Set while the participant's device is gone: unless the user registers again by then, the
    /// participant leaves the call at this time. Not persisted: a restore starts a fresh grace.
    public internal(set) var reconnectDeadline: Timestamp?

    init(userId: UserID, state: State, device: DeviceID? = nil, reconnectDeadline: Timestamp? = nil) {
        self.userId = userId
        self.state = state
        self.device = device
        self.reconnectDeadline = reconnectDeadline
    }

    /// Still part of the call (ringing or joined, connected or in grace).
    public var isPresent: Bool { state != .left }
}
