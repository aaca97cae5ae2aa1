/// The shapes the control methods answer with, as contract §1 and the signaling core define them.
extension ControlSchema {
    static let userIds = array(of: string(), "user ids")

    static let endReason = oneOf(
        ["hangup", "cancelled", "rejected", "busy", "no_answer", "disconnected", "admin"], "why the call ended")

    static let media = oneOf(["audio", "video"])

    /// A ringing or active call.
    static let liveCall = object(
        [
            .required("callId", string()),
            .required("from", string("the caller")),
            .required("participants", array(of: string(), "every invited user id, caller included")),
            .required("media", media),
            .required("state", oneOf(ControlCallState.allCases.map(\.rawValue))),
            .optional("offer", any("the caller's offer as sent")),
            .optional("metadata", any("the caller's metadata as sent")),
            .required("createdAt", dateTime()),
            .required("answeredAt", nullable(dateTime())),
            .optional("ringDeadline", nullable(dateTime())),
            .optional(
                "participantStates",
                array(
                    of: object([
                        .required("userId", string()),
                        .required("state", string()),
                        .optional("reconnectDeadline", nullable(dateTime())),
                    ]))),
        ], "a live call")

    /// A history record: an ended call.
    static let callRecord = object(
        [
            .required("callId", string()),
            .required("from", string("the caller")),
            .required("participants", array(of: string(), "every invited user id, caller included")),
            .required("media", media),
            .required("status", oneOf(["ended"])),
            .required("endReason", endReason),
            .required("createdAt", dateTime()),
            .required("answeredAt", nullable(dateTime())),
            .required("endedAt", dateTime()),
            .required("duration", number("seconds from answeredAt to endedAt, 0 if never answered")),
        ], "an ended call")

    static let user = object(
        [
            .required("userId", string()),
            .required("sessions", array(of: string(), "the user's registered devices")),
            .required("calls", array(of: string(), "the user's ringing or active call ids")),
        ], "a connected user")

    static let countsByEndReason = object([], additionalProperties: integer(minimum: 0), "calls by endReason")

    static let status = object(
        [
            .optional("status", string()),
            .optional("version", string()),
            .optional("uptimeSeconds", number()),
            .required("connectedUsers", integer(minimum: 0)),
            .required("connectedDevices", integer(minimum: 0)),
            .required("ringingCalls", integer(minimum: 0)),
            .required("activeCalls", integer(minimum: 0)),
            .optional("totalCalls", integer("calls in history", minimum: 0)),
            .required("callsByEndReason", countsByEndReason),
            .required("averageDurationSeconds", number("mean duration of answered calls")),
        ], "the same object as GET /status")

    static let stats = object(
        [
            .optional("since", nullable(dateTime())),
            .required("calls", integer("ended calls counted", minimum: 0)),
            .required("answered", integer("of which answered", minimum: 0)),
            .required("callsByEndReason", countsByEndReason),
            .required("averageDurationSeconds", number("mean duration of answered calls")),
            .optional("totalDurationSeconds", number()),
        ], "history totals")
}
