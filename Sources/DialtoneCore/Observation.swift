/// A call or presence change, reported once, for logs, metrics and the control event stream.
public enum Observation: Sendable, Equatable {
    /// A device registered for the user (reported for every device).
    case userOnline(UserID, DeviceID)
    /// The user's last device is gone.
    case userOffline(UserID)
    case callCreated(callId: String, from: UserID, participants: [UserID], media: Media)
    /// `devices` of the callee received `incoming_call`.
    case callRinging(callId: String, userId: UserID, devices: Int)
    case callAccepted(callId: String, userId: UserID)
    case callRejected(callId: String, userId: UserID, reason: RejectReason)
    case callEnded(CallRecord)
    case participantJoined(callId: String, userId: UserID)
    /// A participant left a call that goes on: `hangup` (left), `noAnswer` or `disconnected`.
    case participantLeft(callId: String, userId: UserID, reason: EndReason)
    /// The participant's device is gone; the reconnect grace runs until `until`.
    case participantDisconnected(callId: String, userId: UserID, until: Timestamp)
    /// The participant registered again in time and the call continues on `device`.
    case participantResumed(callId: String, userId: UserID, device: DeviceID)
}
