import Foundation
import Testing

@testable import DialtoneSystemd

@Suite struct LogTargetTests {
    func journalStream(of path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { throw POSIXError(.ENOENT) }
        return "\(status.st_dev):\(status.st_ino)"
    }

    @Test func settingValuesParse() {
        #expect(LogTarget(rawValue: "auto") == .auto)
        #expect(LogTarget(rawValue: "journal") == .journal)
        #expect(LogTarget(rawValue: "stderr") == .stderr)
        #expect(LogTarget(rawValue: "syslog") == nil)
        #expect(LogTarget.journal.resolved() == .journal)
        #expect(LogTarget.stderr.resolved() == .stderr)
    }

    @Test func journalOwnsOnlyTheStreamJournalStreamNames() throws {
        let directory = try TemporaryDirectory()
        try directory.touch("stream")
        try directory.touch("other")
        let fd = open(directory.file("stream"), O_WRONLY)
        defer { close(fd) }
        let matching = try journalStream(of: directory.file("stream"))

        #expect(LogTarget.journalOwns(fd: fd, journalStream: matching))
        #expect(!LogTarget.journalOwns(fd: fd, journalStream: try journalStream(of: directory.file("other"))))
        #expect(!LogTarget.journalOwns(fd: fd, journalStream: nil))
        #expect(!LogTarget.journalOwns(fd: fd, journalStream: ""))
        #expect(!LogTarget.journalOwns(fd: fd, journalStream: "not:numbers"))
        #expect(!LogTarget.journalOwns(fd: fd, journalStream: matching + ":1"))
        #expect(!LogTarget.journalOwns(fd: -1, journalStream: matching))
    }

    /// `auto` in a real child: the journal only when JOURNAL_STREAM names the file its stderr is.
    @Test func autoPicksTheJournalOnlyWhenStderrIsTheJournalStream() async throws {
        let directory = try TemporaryDirectory()
        try directory.touch("stderr")
        try directory.touch("elsewhere")
        let cases: [(String?, String)] = [
            (try journalStream(of: directory.file("stderr")), "journal"),
            (try journalStream(of: directory.file("elsewhere")), "stderr"),
            (nil, "stderr"),
        ]
        for (stream, expected) in cases {
            let child = try ChildProcess(
                ChildProcess.probePath,
                ["log-target", "auto"],
                environment: stream.map { ["JOURNAL_STREAM": $0] } ?? [:],
                stderrPath: directory.file("stderr")
            )
            let result = try await child.finish()
            #expect(result.status == 0)
            #expect(result.stdoutLines == [expected], "JOURNAL_STREAM=\(stream ?? "(unset)")")
        }
    }
}
