import DialtoneJSON

/// What a device asked for, decoded from an event name and its payload; the same for Socket.IO and `/ws`.
public enum DeviceRequest: Sendable, Equatable {
    case register(userId: UserID)
    /// `to` holds at least one user, without duplicates, in the order given.
    case call(to: [UserID], callId: String?, offer: JSON?, media: Media, metadata: JSON?)
    case acceptCall(callId: String, answer: JSON?)
    case rejectCall(callId: String, reason: RejectReason)
    /// `body` is the `candidate` (ICE) or `sdp` (offer, answer) value exactly as received.
    case relay(RelayKind, callId: String, to: UserID?, body: JSON)
    case endCall(callId: String?)
    case joinCall(callId: String)
    case leaveCall(callId: String)

    /// Every event name a device may send.
    public static let eventNames: [String] =
        ["register", "call", "accept_call", "reject_call"] + RelayKind.allCases.map(\.event)
        + ["end_call", "join_call", "leave_call"]

    /// The event name this request came from.
    public var event: String {
        switch self {
        case .register: "register"
        case .call: "call"
        case .acceptCall: "accept_call"
        case .rejectCall: "reject_call"
        case .relay(let kind, _, _, _): kind.event
        case .endCall: "end_call"
        case .joinCall: "join_call"
        case .leaveCall: "leave_call"
        }
    }
}
