import DialtoneCore
import Logging
import Metrics

/// Logs every call and presence change once, with the call and user as metadata (journal fields
/// `CALL_ID`, `USER_ID`, ...), and counts them as metrics. The relay path produces no observations,
/// so nothing here runs per ICE candidate.
///
/// A call's setup steps (created, ringing, accepted) are logged at debug: each line is a write
/// on the event loop, and at thousands of calls a second four lines per call cost more than the
/// signaling itself. `call ended` stays at info and carries the outcome and duration.
struct CallEventLog: Sendable {
    let logger: Logger
    private let callsCreated = Counter(label: "dialtone_calls_created_total")
    private let callsEnded = Dictionary(
        uniqueKeysWithValues: EndReason.allCases.map {
            ($0, Counter(label: "dialtone_calls_ended_total", dimensions: [("reason", $0.rawValue)]))
        })
    private let callDuration = Recorder(label: "dialtone_call_duration_seconds")

    init(logger: Logger) {
        self.logger = logger
    }

    func record(_ observations: [Observation]) {
        for observation in observations { record(observation) }
    }

    private func record(_ observation: Observation) {
        switch observation {
        case .userOnline(let user, let device):
            logger.info("device registered", metadata: ["dialtone.user.id": "\(user)", "dialtone.device.id": "\(device)"])
        case .userOffline(let user):
            logger.info("user offline", metadata: ["dialtone.user.id": "\(user)"])
        case .callCreated(let callId, let from, let participants, let media):
            callsCreated.increment()
            logger.debug(
                "call created",
                metadata: [
                    "dialtone.call.id": "\(callId)", "dialtone.user.id": "\(from)",
                    "dialtone.call.participants": "\(participants.joined(separator: ","))", "dialtone.call.media": "\(media.rawValue)",
                ])
        case .callRinging(let callId, let user, let devices):
            logger.debug(
                "call ringing",
                metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)", "dialtone.devices": "\(devices)"])
        case .callAccepted(let callId, let user):
            logger.debug("call accepted", metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)"])
        case .callRejected(let callId, let user, let reason):
            logger.info(
                "call rejected",
                metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)", "dialtone.reason": "\(reason.rawValue)"])
        case .callEnded(let record):
            callsEnded[record.endReason]?.increment()
            if record.answeredAt != nil { callDuration.record(record.duration) }
            logger.info(
                "call ended",
                metadata: [
                    "dialtone.call.id": "\(record.callId)", "dialtone.user.id": "\(record.from)",
                    "dialtone.reason": "\(record.endReason.rawValue)", "dialtone.duration": "\(record.duration)",
                ])
        case .participantJoined(let callId, let user):
            logger.info("participant joined", metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)"])
        case .participantLeft(let callId, let user, let reason):
            logger.info(
                "participant left",
                metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)", "dialtone.reason": "\(reason.rawValue)"])
        case .participantDisconnected(let callId, let user, let until):
            logger.info(
                "participant disconnected; reconnect grace running",
                metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)", "dialtone.grace.until": "\(until.milliseconds)"])
        case .participantResumed(let callId, let user, let device):
            logger.info(
                "participant resumed",
                metadata: ["dialtone.call.id": "\(callId)", "dialtone.user.id": "\(user)", "dialtone.device.id": "\(device)"])
        }
    }
}
