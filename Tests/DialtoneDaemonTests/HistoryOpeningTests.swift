import DialtoneCore
import Foundation
import Testing

@testable import DialtoneDaemon

/// The first step of reading `history.json` (format and live calls now, ended calls later).
@Suite struct HistoryOpeningTests {
    static func open(_ text: String) throws -> HistoryDocument.Opened {
        try HistoryDocument.opening(Array(text.utf8))
    }

    @Test func theLiveCallsAreReadAndTheEndedOnesLeftForLater() throws {
        let opened = try Self.open(HistoryFixture.foundationFormat1)
        #expect(opened.live.map(\.from) == ["alice", "carol"])
        let records = try opened.calls.read()
        #expect(records == (try HistoryDocument(parsing: Array(HistoryFixture.foundationFormat1.utf8))).calls)
        #expect(records.map(\.endReason) == [.hangup, .rejected])
    }

    @Test func aBadRecordShowsOnlyWhenTheEndedCallsAreRead() throws {
        let file = HistoryDocumentTests.file(replacing: #""endReason":"hangup""#, with: #""endReason":"boredom""#)
        let opened = try Self.open(file)
        let error = #expect(throws: PersistenceError.self) { try opened.calls.read() }
        #expect(error?.description == #"`calls[0].endReason`: "boredom" is not a known value"#)
    }

    @Test(arguments: [
        // Brackets and quotes inside strings do not end the array early.
        #"{"format":1,"calls":[{"callId":"a]\"}[","from":"x","participants":["x","y\\"],"media":"audio","status":"ended","endReason":"busy","createdAt":"2026-11-25T01:02:03.456Z","answeredAt":null,"endedAt":"2026-11-25T01:02:03.456Z","duration":0}],"live":[]}"#,
        #"{"calls" : [ ] , "live":[],"format":1}"#,
    ])
    func theEndedCallsAreDelimitedExactly(file: String) throws {
        let opened = try Self.open(file)
        let records = try opened.calls.read()
        #expect(records == (try HistoryDocument(parsing: Array(file.utf8))).calls)
        #expect(records.map(\.callId) == (file.contains("busy") ? [#"a]"}["#] : []))
    }

    @Test(arguments: [
        (#"{"format":1,"calls":[{"callId":"c"]"#, "`calls`: malformed JSON at byte 35"),
        (#"{"format":1,"calls":["unterminated],"live":[]}"#, "`calls`: malformed JSON at byte 46"),
        (#"{"format":1,"calls":3,"live":[]}"#, "`calls` is not an array"),
        (#"{"format":1,"calls":[]}"#, "`live` is missing"),
        (#"{"format":2,"calls":[],"live":[]}"#, "`format`: history format 2 is not 1"),
        (#"{"format":1,"calls":[],"live":[]} x"#, "the value: malformed JSON at byte 34"),
    ])
    func brokenSyntaxAroundTheEndedCallsIsRefusedAtOnce(file: String, message: String) {
        let error = #expect(throws: PersistenceError.self) { try Self.open(file) }
        #expect(error?.description == message)
    }

    @Test(arguments: [
        (#"{"format":1,"calls":[ ],"live":[]}"#, ""),
        (#"{"format":1,"live":[],"calls":[ {"a":"]"} ,{"b":[1]}  ] }"#, #"{"a":"]"} ,{"b":[1]}"#),
        (#"{"format":1,"live":[],"calls":[{"a":1}],"x":[2]}"#, #"{"a":1}"#),
    ])
    func theRecordsTextIsWhatLiesBetweenTheBrackets(file: String, text: String) throws {
        let recordsText = try #require(try Self.open(file).calls.recordsText())
        #expect(String(decoding: recordsText, as: UTF8.self) == text)
    }

    @Test func mismatchedBracketsInsideTheEndedCallsAreRefusedWhenRead() throws {
        let opened = try Self.open(#"{"format":1,"calls":[{"callId":"c"]},"live":[]}"#)
        #expect(throws: PersistenceError.self) { try opened.calls.read() }
    }
}

/// Files as dialtone writes them (`format`, `live`, then `calls`): the records are not even
/// delimited before serving; whatever follows them is read with them.
@Suite struct HistoryOpeningCallsLastTests {
    static let record = #"{"callId":"c","from":"a","participants":["a","b"],"media":"audio","status":"ended","endReason":"hangup","createdAt":"2026-11-25T01:02:03.456Z","answeredAt":null,"endedAt":"2026-11-25T01:02:03.456Z","duration":0}"#

    @Test func theRecordsAreNotLookedAtBeforeTheyAreRead() throws {
        let opened = try HistoryOpeningTests.open(#"{"format":1,"live":[],"calls":[{"callId": oops]}"#)
        #expect(opened.live.isEmpty)
        #expect(throws: PersistenceError.self) { try opened.calls.read() }
    }

    @Test func membersAfterTheCallsAreCheckedWithThem() throws {
        let opened = try HistoryOpeningTests.open(#"{"format":1,"live":[],"calls":[\#(Self.record)] , "note": {"a":[1,"]"]} }"#)
        #expect(try opened.calls.read().map(\.callId) == ["c"])
        let broken = try HistoryOpeningTests.open(#"{"format":1,"live":[],"calls":[],"note":[1}"#)
        #expect(throws: PersistenceError.self) { try broken.calls.read() }
    }

    @Test(arguments: ["format", "live", "calls"])
    func aMemberNamedAgainAfterTheCallsIsRefused(member: String) throws {
        let opened = try HistoryOpeningTests.open(#"{"format":1,"live":[],"calls":[],"\#(member)":[]}"#)
        let error = #expect(throws: PersistenceError.self) { try opened.calls.read() }
        #expect(error?.description == "`\(member)`: the member is named twice")
    }

    @Test(arguments: [
        (#"{"format":1,"live":[],"calls":[]} x"#, "the value: malformed JSON at byte 35"),
        (#"{"format":1,"live":[],"calls":{}}"#, "`calls` is not an array"),
        (#"{"format":1,"live":[],"calls":"#, "`calls`: malformed JSON at byte 30"),
    ])
    func theEndsOfTheFileAreCheckedBeforeServing(file: String, message: String) {
        let error = #expect(throws: PersistenceError.self) { try HistoryOpeningTests.open(file) }
        #expect(error?.description == message)
    }

    @Test func whatIsSavedKeepsTheCallsLast() throws {
        let document = try HistoryDocument(parsing: Array(HistoryFixture.foundationFormat1.utf8))
        let saved = String(decoding: document.encoded(), as: UTF8.self)
        let live = try #require(saved.range(of: #""live":["#))
        let calls = try #require(saved.range(of: #","calls":["#, options: .backwards))
        #expect(live.lowerBound < calls.lowerBound)
        #expect(saved.hasSuffix("}]}"))
    }
}
