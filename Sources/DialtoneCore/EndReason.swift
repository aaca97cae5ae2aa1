/// Why a call ended, as recorded in history and sent in `call_ended`.
public enum EndReason: String, Codable, CaseIterable, Sendable {
    /// A participant ended or left an answered call.
    case hangup
    /// The call ended before anyone answered, by its caller or another participant.
    case cancelled
    /// Every invitee declined.
    case rejected
    /// The callee was in another call, or declined with reason `busy`.
    case busy
    /// Nobody answered before the ring timeout.
    case noAnswer = "no_answer"
    /// A participant's device dropped and did not come back within the reconnect grace.
    case disconnected
    /// Ended through the control interface.
    case admin
}
