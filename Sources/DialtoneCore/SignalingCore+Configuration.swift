import DialtoneJSON

extension SignalingCore {
    /// The rules' tunables. Negative durations and limits count as zero.
    public struct Configuration: Sendable, Equatable {
        /// How long invitees ring before the call ends `no_answer` (or, in an answered group call,
        /// before they stop ringing).
        public var ringTimeout: Duration
        /// How long a participant whose device dropped keeps its place in a call.
        public var reconnectGrace: Duration
        /// The most records history keeps; the oldest go first.
        public var historyLimit: Int
        /// Sent as `iceServers` in the register ack, as configured.
        public var iceServers: JSON
        /// The longest user id or call id accepted, in characters.
        public var maxIdentifierLength: Int
        /// The most users in one call, caller included.
        public var maxParticipants: Int
        /// The most live (ringing or active) calls one user may have placed at once. A caller who
        /// left a group call that goes on without them can place another; this bounds how many.
        public var maxCallsPerUser: Int

        public init(
            ringTimeout: Duration = .seconds(30),
            reconnectGrace: Duration = .seconds(20),
            historyLimit: Int = 100_000,
            iceServers: JSON = [],
            maxIdentifierLength: Int = 256,
            maxParticipants: Int = 16,
            maxCallsPerUser: Int = 10
        ) {
            self.ringTimeout = ringTimeout
            self.reconnectGrace = reconnectGrace
            self.historyLimit = historyLimit
            self.iceServers = iceServers
            self.maxIdentifierLength = maxIdentifierLength
            self.maxParticipants = maxParticipants
            self.maxCallsPerUser = maxCallsPerUser
        }

        var clampedRingTimeout: Duration { max(.zero, ringTimeout) }
        var clampedReconnectGrace: Duration { max(.zero, reconnectGrace) }

        /// Why `identifier` is not acceptable as a user or call id, or nil when it is.
        func problem(with identifier: String, named name: String) -> String? {
            if identifier.isEmpty { return "\"\(name)\" must not be empty" }
            if identifier.count > maxIdentifierLength {
                return "\"\(name)\" is longer than \(maxIdentifierLength) characters"
            }
            return nil
        }
    }
}
