import DialtoneCore
import DialtoneJSON
import Foundation
import Testing

@testable import DialtoneDaemon

@Suite struct HistoryDocumentTests {
    static func parse(_ text: String) throws -> HistoryDocument {
        try HistoryDocument(parsing: Array(text.utf8))
    }

    static func text(_ document: HistoryDocument) -> String {
        String(decoding: document.encoded(), as: UTF8.self)
    }

    @Test func aFileOfTheFoundationCoderLoads() throws {
        let document = try Self.parse(HistoryFixture.foundationFormat1)
        #expect(document.calls.map(\.callId) == ["call_1795581846025_7kkeaw6ql", "call_1795581846305_ptty08thx"])
        let answered = try #require(document.calls.first)
        #expect(answered.participants == ["alice", "bob"])
        #expect(answered.endReason == .hangup)
        #expect(answered.createdAt == Timestamp(iso8601: "2026-11-25T04:44:06.025Z"))
        #expect(answered.answeredAt == Timestamp(iso8601: "2026-11-25T04:44:06.090Z"))
        #expect(answered.duration == 0.208)
        let rejected = document.calls[1]
        #expect((rejected.media, rejected.endReason, rejected.answeredAt) == (.video, .rejected, nil))

        #expect(document.live.map(\.callId) == ["call_1795581846375_mbfi91q8j", "call_1795581846446_ch1n7726o"])
        let active = try #require(document.live.first)
        #expect(active.state == .active)
        #expect(active.participants.map(\.state) == [.joined, .joined])
        #expect(active.offer == ["type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"])
        #expect(active.metadata == ["zeta": 1, "alpha": ["yank": 2, "bravo": [1.5, "é\"/", nil, true]]])
        let group = document.live[1]
        #expect(group.userIds == ["carol", "dave", "alice"])
        #expect(group.participants.map(\.state) == [.joined, .ringing, .left])
        #expect(group.ringDeadline == Timestamp(iso8601: "2026-11-25T04:44:36.446Z"))
        #expect(group.offer == nil)
    }

    @Test func whatIsSavedLoadsBackEqualAndSavesToTheSameBytes() throws {
        let loaded = try Self.parse(HistoryFixture.foundationFormat1)
        let saved = loaded.encoded()
        let reloaded = try HistoryDocument(parsing: saved)
        #expect(reloaded.calls == loaded.calls)
        #expect(reloaded.live == loaded.live)
        #expect(reloaded.encoded() == saved)
        #expect(String(decoding: saved, as: UTF8.self).hasPrefix(#"{"format":1,"live":[{"callId":"call_1795581846375_mbfi91q8j","from":"alice","#))
    }

    @Test func payloadsKeepTheirKeyOrderAndNumberText() throws {
        let offer = #"{"type":"offer","sdp":"v=0","z":1.50,"a":{"y":[1e3,-0],"b":null}}"#
        let metadata = #"{"topic":"x","topic":"duplicate","n":10000000000000000000001}"#
        let file = #"{"format":1,"live":[{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"ringing"}],"media":"audio","metadata":\#(metadata),"offer":\#(offer),"createdAt":"2026-11-25T01:02:03.456Z","ringDeadline":"2026-11-25T01:02:33.456Z"}],"calls":[]}"#
        let document = try Self.parse(file)
        #expect(Self.text(document) == file)
        #expect(document.live.first?.offer?.objectValue.map { $0.map(\.key) } == ["type", "sdp", "z", "a"])
    }

    @Test func anAnswerAndTheCallerWaitingForItAreKept() throws {
        let file = #"{"format":1,"live":[{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b","state":"joined"}],"media":"video","createdAt":"2026-11-25T01:02:03.456Z","answeredAt":"2026-11-25T01:02:04.456Z","answer":{"sdp":"b"},"answeredBy":"b","callerAwaitsAnswer":true}],"calls":[]}"#
        let document = try Self.parse(file)
        let call = try #require(document.live.first)
        #expect((call.answer, call.answeredBy, call.callerAwaitsAnswer) == (["sdp": "b"], "b", true))
        #expect(Self.text(document) == file)
    }

    @Test(arguments: [
        (#"{"format":2,"calls":[],"live":[]}"#, "`format`: history format 2 is not 1"),
        (#"{"format":"1","calls":[],"live":[]}"#, "`format` is not an integer"),
        (#"{"calls":[],"live":[]}"#, "`format` is missing"),
        (#"{"format":1,"live":[]}"#, "`calls` is missing"),
        (#"{"format":1,"calls":{},"live":[]}"#, "`calls` is not an array"),
        (#"[]"#, "the value is not an object"),
        (
            #"{"format":1,"calls":[{"callId":"c","from":"a","participants":["a","b"],"media":"audio","status":"ended","endReason":"hangup","createdAt":"2026-11-25T01:02:03.456Z","endedAt":"soon"}],"live":[]}"#,
            #"`calls[0].endedAt`: "soon" is not an ISO-8601 date-time"#
        ),
        (
            #"{"format":1,"calls":[],"live":[{"callId":"c","from":"a","participants":[{"userId":"a","state":"joined"},{"userId":"b"}],"media":"audio","createdAt":"2026-11-25T01:02:03.456Z"}]}"#,
            "`live[0].participants[1].state` is missing"
        ),
    ])
    func aBadFileIsRefusedNamingWhatIsWrong(file: String, message: String) {
        let error = #expect(throws: PersistenceError.self) { try Self.parse(file) }
        #expect(error?.description == message)
    }

    @Test(arguments: [
        #"{"format":1,"calls":[],"live":[]"#,
        #"{"format":1,"calls":[],"live":[]}x"#,
        #"{"format":1,"calls":[],"live":[],"extra":[1,}"#,
        #"{"format":1,"calls":[{"callId":"c" "from":"a"}],"live":[]}"#,
        #"{"format":01,"calls":[],"live":[]}"#,
        "{\"format\":1,\"calls\":[],\"live\":[],\"bad\":\"\u{1}\"}",
        "{\"format\":1,\"calls\":[],\"live\":[],\"bad\":\"\\x\"}",
    ])
    func textThatIsNotJSONIsRefused(file: String) {
        #expect(throws: PersistenceError.self) { try Self.parse(file) }
    }

    /// One valid record, with `replacing` swapped in for the text it names.
    static func file(replacing original: String, with replacement: String) -> String {
        let record = #"{"callId":"c","from":"a","participants":["a","b"],"media":"audio","status":"ended","endReason":"hangup","createdAt":"2026-11-25T01:02:03.456Z","answeredAt":null,"endedAt":"2026-11-25T01:02:03.456Z","duration":0}"#
        return #"{"format":1,"calls":["# + record.replacingOccurrences(of: original, with: replacement) + #"],"live":[]}"#
    }

    @Test(arguments: [
        (#""callId":"c""#, #""callId":"""#, "`calls[0].callId`: a call id must not be empty"),
        (#"["a","b"]"#, #"["b","a"]"#, "`calls[0].participants`: must be at least two users, caller first, each named once"),
        (#"["a","b"]"#, #"["a",7]"#, "`calls[0].participants[1]` is not a string"),
        (#""ended""#, #""active""#, #"`calls[0].status`: a history record's status is "ended""#),
        (#""hangup""#, #""boredom""#, #"`calls[0].endReason`: "boredom" is not a known value"#),
        (#""audio""#, #""fax""#, #"`calls[0].media`: "fax" is not a known value"#),
        (#","endedAt":"2026-11-25T01:02:03.456Z""#, "", "`calls[0].endedAt` is missing"),
        (#""from":"a""#, #""from":null"#, "`calls[0].from` is missing"),
        (#""from":"a""#, #""from":1"#, "`calls[0].from` is not a string"),
    ])
    func aContradictoryOrIncompleteRecordIsRefused(original: String, replacement: String, message: String) {
        let error = #expect(throws: PersistenceError.self) { try Self.parse(Self.file(replacing: original, with: replacement)) }
        #expect(error?.description == message)
    }

    @Test func membersInAnyOrderWithEscapesAndUnknownMembersRead() throws {
        let file = #"{ "live" : [ ] , "unknown": {"a":[1,"]"]}, "calls" : [ {"endedAt":"2026-11-25T01:02:03.456Z", "callId":"c\/1","from":"a","participants":["a","bø"],"media":"audio","status":"ended","endReason":"hangup","createdAt":"2026-11-25T01:02:03.456Z","duration":1.5e0} ], "format" : 1 }"#
        let record = try #require(try Self.parse(file).calls.first)
        #expect((record.callId, record.participants) == ("c/1", ["a", "bø"]))
    }
}
