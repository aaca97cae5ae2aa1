import DialtoneJSON

/// The signaling rules: users and their devices, calls and history, as a value-type state machine.
///
/// Every input carries the current time and returns an `Outcome`: the ack, the messages to send
/// and what happened. The owner (one lock or one task) applies inputs one at a time and performs the
/// actions afterwards; the core does no I/O, reads no clock and never waits. Call `advance(to:)`
/// at `nextDeadline` for ring timeouts and reconnect-grace expiries.
///
/// A request that fails changes nothing, with one deliberate exception: a call refused because
/// every callee is busy is recorded in history with end reason `busy`.
public struct SignalingCore: Sendable {
    /// Change it with `reconfigure(_:)`.
    public private(set) var configuration: Configuration
    var registry = DeviceRegistry()
    var calls: [String: LiveCall] = [:]
    /// Live calls naming each user, in creation order.
    var callIdsByUser: [UserID: [String]] = [:]
    var activeCallCount = 0
    var deadlines = DeadlineQueue()
    var history: History
    /// Bumps on every change to history or live calls, so a saver can tell when to persist.
    public internal(set) var historyVersion: UInt64 = 0
    var random: any RandomNumberGenerator & Sendable

    /// - Parameters:
    ///   - history: records loaded from disk, oldest first; the newest `historyLimit` are kept.
    ///   - live: calls persisted by a graceful stop. Each comes back with every present participant
    ///     in reconnect grace from `now`; a ringing call keeps its ring deadline, even a past one
    ///     (it then ends `no_answer` at the first `advance`), and gets one from `now` if it had
    ///     none. Skipped: a call whose id is already live or in history, and a call that could not
    ///     go on (an answered call with fewer than two joined participants, an unanswered one
    ///     without its caller or anyone ringing).
    ///   - random: source of generated call ids; inject a seeded generator for reproducible ids.
    public init(
        configuration: Configuration = Configuration(),
        history: [CallRecord] = [],
        restoring live: [LiveCall] = [],
        now: Timestamp,
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.configuration = configuration
        self.history = History(history, limit: configuration.historyLimit)
        self.random = random
        for call in live where call.canContinue && calls[call.callId] == nil && !self.history.contains(callId: call.callId) {
            restore(call, now: now)
        }
        pruneDeadlines()
    }

    /// Applies a new configuration: timeouts apply to calls and disconnects from now on; a smaller
    /// history limit drops the oldest records at once.
    public mutating func reconfigure(_ configuration: Configuration) {
        self.configuration = configuration
        let before = history.count
        history.setLimit(configuration.historyLimit)
        if history.count != before { historyVersion &+= 1 }
    }

    private mutating func restore(_ restored: LiveCall, now: Timestamp) {
        var call = restored
        if call.hasRingingInvitees, call.ringDeadline == nil {
            call.ringDeadline = now + configuration.clampedRingTimeout
        }
        let graceEnd = now + configuration.clampedReconnectGrace
        for index in call.participants.indices {
            call.participants[index].device = nil
            call.participants[index].reconnectDeadline = call.participants[index].isPresent ? graceEnd : nil
        }
        insert(call)
        deadlines.insert(graceEnd, callId: call.callId)
    }
}
