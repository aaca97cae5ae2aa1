import DialtoneJSON
import Testing

@testable import DialtoneCore

@Suite struct RestoreTests {
    /// The calls as a graceful stop saves them and the next start reads them back.
    func throughTheFile(_ calls: [LiveCall]) throws -> [LiveCall] {
        try calls.map { try LiveCall(persisted: JSON(parsing: $0.persistedJSON().serialized())) }
    }

    /// Runs a call to the given point, snapshots it as a graceful stop would, and restarts later.
    func restart(answered: Bool, downtime: Duration) throws -> (harness: Harness, callId: String, snapshot: [LiveCall]) {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"], extra: ["offer": ["sdp": "v=0"], "metadata": ["k": "v"]])
        harness.now = harness.now + .seconds(2)
        if answered { _ = harness.request(bob, "accept_call", ["callId": .string(callId)]) }
        let persisted = harness.core.persistableLiveCalls()
        let decoded = try throughTheFile(persisted)
        let restartedAt = harness.now + downtime
        return (Harness(history: harness.core.historyRecords, live: decoded, now: restartedAt), callId, persisted)
    }

    @Test func persistedCallsSurviveTheFile() throws {
        let (harness, callId, persisted) = try restart(answered: true, downtime: .seconds(1))
        let restored = try #require(harness.core.call(callId))
        let original = try #require(persisted.first)
        #expect(restored.callId == original.callId)
        #expect(restored.from == "alice")
        #expect(restored.userIds == ["alice", "bob"])
        #expect(restored.participants.map(\.state) == [.joined, .joined])
        #expect(restored.offer == ["sdp": "v=0"])
        #expect(restored.metadata == ["k": "v"])
        #expect(restored.createdAt == original.createdAt)
        #expect(restored.answeredAt == original.answeredAt)
        #expect(restored.state == .active)
        #expect(harness.core.status.activeCalls == 1)
    }

    @Test func restoredActiveCallContinuesWhenBothReRegister() throws {
        var (harness, callId, _) = try restart(answered: true, downtime: .seconds(3))
        #expect(harness.core.call(callId)?.participants.allSatisfy { $0.reconnectDeadline == harness.now + .seconds(20) } == true)
        #expect(harness.core.nextDeadline == harness.now + .seconds(20))
        harness.now = harness.now + .seconds(10)
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        #expect(harness.core.nextDeadline == nil)
        let relayed = harness.request(alice, "ice_candidate", ["callId": .string(callId), "candidate": "c"])
        #expect(relayed.recipients(of: "ice_candidate") == [bob])
        #expect(harness.advance(by: .seconds(60)).actions.isEmpty)
        let ended = harness.request(bob, "end_call", [:])
        #expect(ended.endedRecords.map(\.endReason) == [.hangup])
        #expect(ended.payloads("call_ended", to: alice).count == 1)
    }

    @Test func restoredCallEndsDisconnectedWhenNobodyComesBack() throws {
        var (harness, callId, _) = try restart(answered: true, downtime: .seconds(3))
        let alice = harness.device("alice")
        let outcome = harness.advance(by: .seconds(20))
        #expect(outcome.endedRecords.map(\.callId) == [callId])
        #expect(outcome.endedRecords.map(\.endReason) == [.disconnected])
        #expect(outcome.payloads("call_ended", to: alice).first?["fromUserId"] == "bob")
    }

    @Test func restoredRingingCallKeepsItsRingDeadline() throws {
        var (harness, callId, persisted) = try restart(answered: false, downtime: .seconds(1))
        let deadline = try #require(persisted.first?.ringDeadline)
        #expect(deadline == Harness.start + .seconds(30))
        #expect(harness.core.call(callId)?.ringDeadline == deadline)
        _ = harness.device("alice")
        let bob = harness.connect(.anonymous).device
        let registered = harness.request(bob, "register", ["userId": "bob"])
        #expect(registered.events(to: bob) == ["registered", "incoming_call"])
        #expect(harness.core.nextDeadline == deadline)
        harness.now = deadline
        #expect(harness.core.advance(to: deadline).endedRecords.map(\.endReason) == [.noAnswer])
    }

    @Test func restoredRingingCallPastItsDeadlineEndsNoAnswerAtFirstAdvance() throws {
        var (harness, callId, _) = try restart(answered: false, downtime: .seconds(120))
        #expect(harness.core.call(callId)?.state == .ringing)
        let outcome = harness.core.advance(to: harness.now)
        #expect(outcome.endedRecords.map(\.callId) == [callId])
        #expect(outcome.endedRecords.map(\.endReason) == [.noAnswer])
        #expect(outcome.endedRecords.first?.endedAt == harness.now)
    }

    @Test func restoreSkipsCallsWhoseIdIsTaken() {
        let record = CallRecord(
            callId: "taken", from: "x", participants: ["x", "y"], media: .audio, endReason: .hangup,
            createdAt: Harness.start, answeredAt: nil, endedAt: Harness.start)
        let live = LiveCall(
            callId: "taken", from: "a",
            participants: [Participant(userId: "a", state: .joined), Participant(userId: "b", state: .ringing)],
            media: .audio, metadata: nil, offer: nil, createdAt: Harness.start, ringDeadline: nil)
        let harness = Harness(history: [record], live: [live, live])
        #expect(harness.core.liveCalls().isEmpty)
        let twice = Harness(live: [live, live])
        #expect(twice.core.liveCalls().count == 1)
    }

    @Test func restoreSkipsCallsThatCouldNotGoOnAndGivesRingingCallsADeadline() {
        func call(_ id: String, _ states: [Participant.State], answered: Bool) -> LiveCall {
            LiveCall(
                callId: id, from: "a",
                participants: zip(["a", "b", "c"], states).map { Participant(userId: $0, state: $1) },
                media: .audio, metadata: nil, offer: nil, createdAt: Harness.start,
                answeredAt: answered ? Harness.start : nil, ringDeadline: nil)
        }
        let harness = Harness(live: [
            call("lonely", [.joined, .left], answered: true),
            call("callerless", [.left, .ringing, .ringing], answered: false),
            call("nobody-rings", [.joined, .left], answered: false),
            call("fine", [.joined, .ringing], answered: false),
        ])
        #expect(harness.core.liveCalls().map(\.callId) == ["fine"])
        #expect(harness.core.call("fine")?.ringDeadline == Harness.start + .seconds(30))
        #expect(harness.core.nextDeadline == Harness.start + .seconds(20))
    }

    @Test func liveCallDecodingRefusesImpossibleCalls() {
        let cases = [
            #"{"callId":"","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"ringing"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z"}"#,
            #"{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z"}"#,
            #"{"callId":"c","from":"z","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"ringing"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z"}"#,
            #"{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"a","state":"ringing"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z"}"#,
            #"{"callId":"c","from":"a","participants":[{"userId":"a","state":"dancing"},{"userId":"b","state":"ringing"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z"}"#,
            #"{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"ringing"}],"media":"audio","createdAt":"yesterday"}"#,
        ]
        for text in cases {
            #expect(throws: PersistenceError.self, "\(text)") { try LiveCall(persisted: JSON(parsing: text)) }
        }
        let valid = #"{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"ringing"}],"media":"video","createdAt":"2026-11-25T01:02:03.456Z","ringDeadline":"2026-11-25T01:02:33.456Z","offer":{"sdp":"x","n":[1,true,null]}}"#
        let call = try? LiveCall(persisted: JSON(parsing: valid))
        #expect(call?.media == .video)
        #expect(call?.ringDeadline == Timestamp(iso8601: "2026-11-25T01:02:33.456Z"))
        #expect(call?.offer == ["sdp": "x", "n": [1, true, nil]])
        #expect(call?.offer.map { $0.serialized() } == #"{"sdp":"x","n":[1,true,null]}"#)
        #expect(call?.answeredAt == nil)
    }

    @Test func liveCallJSONForTheRegisterAckAndControl() {
        var harness = Harness()
        let alice = harness.device("alice")
        let callId = harness.call(alice, to: ["bob"], extra: ["media": "video"])
        _ = harness.disconnect(alice)
        let json = harness.core.call(callId)?.toJSON()
        #expect(
            json == [
                "callId": .string(callId), "from": "alice", "participants": ["alice", "bob"], "media": "video",
                "state": "ringing", "offer": nil, "answer": nil, "answeredBy": nil, "metadata": nil, "createdAt": "2026-11-25T01:02:03.456Z",
                "answeredAt": nil, "ringDeadline": "2026-11-25T01:02:33.456Z",
                "participantStates": [
                    ["userId": "alice", "state": "joined", "reconnectDeadline": "2026-11-25T01:02:23.456Z"],
                    ["userId": "bob", "state": "ringing", "reconnectDeadline": nil],
                ],
            ])
    }

    @Test func anAnswerTheCallerMissedSurvivesARestart() throws {
        var harness = Harness()
        let alice = harness.device("alice")
        let bob = harness.device("bob")
        let callId = harness.call(alice, to: ["bob"])
        _ = harness.disconnect(alice)
        _ = harness.request(bob, "accept_call", ["callId": .string(callId), "answer": ["sdp": "a"]])
        let decoded = try throughTheFile(harness.core.persistableLiveCalls())
        #expect(decoded.first?.answer == ["sdp": "a"])
        #expect(decoded.first?.answeredBy == "bob")
        #expect(decoded.first?.callerAwaitsAnswer == true)

        var restarted = Harness(live: decoded, now: harness.now + .seconds(1))
        let back = restarted.connect(.anonymous).device
        let outcome = restarted.request(back, "register", ["userId": "alice"])
        #expect(outcome.payloads("call_accepted", to: back) == [["callId": .string(callId), "from": "bob", "answer": ["sdp": "a"]]])
    }

    @Test func liveCallDecodingRefusesAnAnswerFromTheCallerOrAStranger() {
        for answeredBy in ["a", "z"] {
            let text = #"{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"joined"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z","answeredAt":"2026-11-25T01:02:04.456Z","answeredBy":"\#(answeredBy)"}"#
            #expect(throws: PersistenceError.self, "\(text)") { try LiveCall(persisted: JSON(parsing: text)) }
        }
    }
}
