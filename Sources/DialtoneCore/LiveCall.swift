import DialtoneJSON

/// A ringing or active call, with everything needed to bring it back after a restart.
public struct LiveCall: Sendable, Equatable {
    public let callId: String
    /// The caller.
    public let from: UserID
    /// Every invited user, caller first, then the callees in the order they were called.
    public internal(set) var participants: [Participant]
    public let media: Media
    /// The caller's `metadata` and `offer`, exactly as sent; a device registering later still needs them.
    public let metadata: JSON?
    public let offer: JSON?
    public let createdAt: Timestamp
    /// When the first callee accepted (or, in a group, the second participant joined).
    public internal(set) var answeredAt: Timestamp?
    /// The `answer` of the first `accept_call`, exactly as sent, and who sent it: a caller that was
    /// in reconnect grace at that moment still needs them to finish negotiating. (In a group, later
    /// accepts are only relayed live; peers renegotiate with `offer`/`answer` relays.)
    public internal(set) var answer: JSON?
    public internal(set) var answeredBy: UserID?
    /// The caller was in reconnect grace when the call was accepted, so `call_accepted` reached no
    /// device; it is sent again when the caller resumes the call.
    public internal(set) var callerAwaitsAnswer: Bool
    /// When unanswered invitees stop ringing; nil once nobody rings any more.
    public internal(set) var ringDeadline: Timestamp?

    init(
        callId: String, from: UserID, participants: [Participant], media: Media, metadata: JSON?, offer: JSON?,
        createdAt: Timestamp, answeredAt: Timestamp? = nil, answer: JSON? = nil, answeredBy: UserID? = nil,
        callerAwaitsAnswer: Bool = false, ringDeadline: Timestamp?
    ) {
        self.callId = callId
        self.from = from
        self.participants = participants
        self.media = media
        self.metadata = metadata
        self.offer = offer
        self.createdAt = createdAt
        self.answeredAt = answeredAt
        self.answer = answer
        self.answeredBy = answeredBy
        self.callerAwaitsAnswer = callerAwaitsAnswer
        self.ringDeadline = ringDeadline
    }

    /// `ringing` until answered, then `active`.
    public var state: CallState { answeredAt == nil ? .ringing : .active }

    /// A call between exactly two users; three or more invited make a group call.
    public var isOneToOne: Bool { participants.count == 2 }

    /// Every invited user id, caller first.
    public var userIds: [UserID] { participants.map(\.userId) }

    /// The user's place in the call, whatever its state; nil if it was never invited.
    public func participant(_ userId: UserID) -> Participant? {
        participants.first { $0.userId == userId }
    }

    func index(of userId: UserID) -> Int? {
        participants.firstIndex { $0.userId == userId }
    }

    var joinedCount: Int { participants.count { $0.state == .joined } }
    var hasRingingInvitees: Bool { participants.contains { $0.state == .ringing } }

    /// Whether the call still makes sense: an answered call needs two joined participants; an
    /// unanswered one needs its caller and someone still ringing.
    var canContinue: Bool {
        if answeredAt != nil { return joinedCount >= 2 }
        return participants.first?.state == .joined && hasRingingInvitees
    }

    /// The `call_accepted {callId, from, answer}` payload of the first `accept_call`.
    var callAcceptedPayload: JSONObject {
        [
            "callId": .string(callId),
            "from": answeredBy.map { .string($0) } ?? .null,
            "answer": answer ?? .null,
        ]
    }

    /// The `incoming_call` payload: `{callId, from, participants, offer, media, metadata}`.
    var incomingCallPayload: JSONObject {
        [
            "callId": .string(callId),
            "from": .string(from),
            "participants": .array(participants.map { .string($0.userId) }),
            "offer": offer ?? .null,
            "media": .string(media.rawValue),
            "metadata": metadata ?? .null,
        ]
    }
}
