import Foundation
import Testing

/// What the journal handler really sends: a child runs in a private mount namespace where
/// /run/systemd/journal is this test's directory, so libsystemd's datagrams reach the test's
/// socket instead of journald. Mounting needs root.
@Suite(.enabled(if: geteuid() == 0, "unshare --mount needs root"))
struct JournalCaptureTests {
    /// Runs `systemd-probe journal TARGET` with /run replaced by an empty tmpfs and, if given,
    /// `journalDirectory` mounted at /run/systemd/journal.
    func runProbeInPrivateRun(target: String, journalDirectory: String?) async throws -> ChildProcess.Result {
        let mountJournal = journalDirectory == nil ? "" : "mkdir -p /run/systemd/journal && mount --bind \"$1\" /run/systemd/journal && "
        return try await ChildProcess.run(
            "/usr/bin/unshare",
            [
                "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t tmpfs tmpfs /run && \(mountJournal)exec \"$0\" journal \"$2\"",
                ChildProcess.probePath, journalDirectory ?? "", target,
            ],
            environment: ["PATH": ChildProcess.searchPath]
        )
    }

    @Test func entriesCarryStructuredFieldsAndBinarySafeMessages() async throws {
        let directory = try TemporaryDirectory()
        let journal = try DatagramSocket(path: directory.file("socket"))
        let result = try await runProbeInPrivateRun(target: "journal", journalDirectory: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "nothing should fall back to stderr: \(result.stderr)")

        let datagrams = journal.receiveAll()
        let entries = datagrams.compactMap(JournalNativeMessage.init)
        try #require(entries.count == datagrams.count, "every datagram must follow the native protocol")
        // The debug line logged before the level changed must not be sent at all.
        try #require(entries.map { $0["MESSAGE"] } == ["call created", "first line\nsecond line\n\tthird = line", "after setLevel", "save failed"])

        for entry in entries {
            #expect(entry["SYSLOG_IDENTIFIER"] == "dialtoned")
            #expect(entry["LOGGER"] == "dialtone.probe")
            #expect(entry["CODE_FILE"] == "systemd_probe/main.swift")
            #expect(entry["CODE_FUNC"] == "journal(target:)")
            #expect(entry["CODE_LINE"].flatMap(Int.init) != nil)
            #expect(entry.values("MESSAGE").count == 1)
            for field in entry.fields {
                #expect(field.name.utf8.count <= 64 && !field.name.hasPrefix("_") && !field.name.first!.isNumber, "\(field.name)")
                #expect(field.name.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }, "\(field.name)")
            }
        }

        let created = entries[0]
        #expect(created["PRIORITY"] == "6")
        #expect(created["CALL_ID"] == "call_1_abc")
        #expect(created["USER_ID"] == "alice")
        #expect(created["EVENT"] == "created")

        let multiline = entries[1]
        #expect(multiline["PRIORITY"] == "4")
        #expect(multiline.fields.first { $0.name == "MESSAGE" }?.isBinary == true)
        #expect(multiline.fields.first { $0.name == "NOTES" }.map { ($0.text, $0.isBinary) } ?? ("", false) == ("one\ntwo", true))
        #expect(multiline.fields.first { $0.name == "REASON" }?.isBinary == false)
        #expect(multiline["REASON"] == "no_answer")
        #expect(multiline["HTTP_STATUS"] == "200")
        #expect(multiline["PRIVATE"] == "underscore")
        #expect(multiline["META_9LIVES"] == "digit")
        #expect(multiline["META_MESSAGE"] == "not the message")
        #expect(multiline["N_CODE_K_Y"] == "accents")
        #expect(multiline[String(repeating: "K", count: 64)] == "long")

        #expect(entries[2]["PRIORITY"] == "7")
        #expect(entries[2]["CALL_ID"] == "call_2_def")
        #expect(entries[3]["PRIORITY"] == "3")
        #expect(entries[3]["ERROR"] == "the probe's own error")
    }

    /// No journal socket at all (a container), or one nobody reads any more (journald stopped).
    @Test(arguments: [false, true])
    func withoutAJournalEntriesFallBackToStderr(leaveDeadSocket: Bool) async throws {
        let directory = try TemporaryDirectory()
        if leaveDeadSocket {
            _ = try DatagramSocket(path: directory.file("socket"))
        }
        let result = try await runProbeInPrivateRun(target: "journal", journalDirectory: leaveDeadSocket ? directory.path : nil)
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n").map { String($0.drop { $0 != " " }.dropFirst()) }
        #expect(
            lines == [
                "info dialtone.probe: call created dialtone.call.id=call_1_abc dialtone.event=created dialtone.user.id=alice",
                "warning dialtone.probe: first line\\nsecond line\\n\\tthird = line 9lives=digit _private=underscore "
                    + "dialtone.notes=\"one\\ntwo\" dialtone.reason=no_answer http.status=200 "
                    + String(repeating: "k", count: 80) + "=long message=\"not the message\" ünïcode.kéy=accents",
                "debug dialtone.probe: after setLevel dialtone.call.id=call_2_def",
                "error dialtone.probe: save failed error=\"the probe's own error\"",
            ]
        )
    }

    @Test func theStderrTargetNeverTouchesTheJournal() async throws {
        let directory = try TemporaryDirectory()
        let journal = try DatagramSocket(path: directory.file("socket"))
        let result = try await runProbeInPrivateRun(target: "stderr", journalDirectory: directory.path)
        #expect(result.status == 0)
        #expect(journal.receiveAll(quiet: .milliseconds(200)).isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 4)
    }
}
