import DialtoneJSON

extension CallRecord {
    /// A record read back from `history.json`, refused when its times or participants
    /// contradict each other: an empty call id, fewer than two participants, a caller who is not
    /// the first participant, a user named twice, a status other than `ended`. (`duration` is not
    /// an input: it is derived from the times.)
    public init(
        validatingCallId callId: String, from: UserID, participants: [UserID], media: Media, status: CallState,
        endReason: EndReason, createdAt: Timestamp, answeredAt: Timestamp?, endedAt: Timestamp
    ) throws(PersistenceError) {
        guard !callId.isEmpty else { throw .invalid("callId", "a call id must not be empty") }
        guard participants.count >= 2, participants.first == from, Self.namesEachOnce(participants) else {
            throw .invalid("participants", "must be at least two users, caller first, each named once")
        }
        guard status == .ended else { throw .invalid("status", "a history record's status is \"ended\"") }
        self.init(
            callId: callId, from: from, participants: participants, media: media, endReason: endReason,
            createdAt: createdAt, answeredAt: answeredAt, endedAt: endedAt)
    }

    /// A pairwise check for the usual two or three users: no `Set` per record loaded.
    private static func namesEachOnce(_ users: [UserID]) -> Bool {
        guard users.count <= 8 else { return Set(users).count == users.count }
        for (position, user) in users.enumerated() where users[(position + 1)...].contains(user) { return false }
        return true
    }
}

extension CallRecord {
    /// Appends the compact text of ``toJSON()``, byte for byte, without building the `JSON` value:
    /// saving 100,000 records this way takes a fraction of the time.
    public func writePersisted(into bytes: inout [UInt8]) {
        func member(_ key: String) {
            bytes.append(contentsOf: key.utf8)
        }
        func quoted(_ text: String) {
            JSON.string(text).write(into: &bytes)
        }
        func time(_ timestamp: Timestamp) {
            bytes.append(UInt8(ascii: "\""))
            timestamp.writeISO8601(into: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        member(#"{"callId":"#)
        quoted(callId)
        member(#","from":"#)
        quoted(from)
        member(#","participants":["#)
        for (index, participant) in participants.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(participant)
        }
        member(#"],"media":""#)
        member(media.rawValue)
        member(#"","status":""#)
        member(status.rawValue)
        member(#"","endReason":""#)
        member(endReason.rawValue)
        member(#"","createdAt":"#)
        time(createdAt)
        member(#","answeredAt":"#)
        if let answeredAt { time(answeredAt) } else { member("null") }
        member(#","endedAt":"#)
        time(endedAt)
        member(#","duration":"#)
        writeDuration(into: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// ``duration`` as `JSONNumber(Double)` spells it: whole seconds without a point, else the
    /// milliseconds with trailing zeros dropped (the shortest text of a multiple of 0.001).
    private func writeDuration(into bytes: inout [UInt8]) {
        let milliseconds = durationMilliseconds
        let seconds = milliseconds / 1000
        guard Double(seconds) < 1e15 else {
            bytes.append(contentsOf: JSONNumber(duration).text.utf8)
            return
        }
        bytes.append(contentsOf: String(seconds).utf8)
        var fraction = milliseconds % 1000
        guard fraction > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor: Int64 = 100
        while fraction > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
