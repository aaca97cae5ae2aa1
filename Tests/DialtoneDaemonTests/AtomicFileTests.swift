import Foundation
import Testing

@testable import DialtoneDaemon

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test("writes the content with mode 0640 and leaves no temporary file")
    func writesContent() throws {
        let directory = try TemporaryDirectory()
        let target = directory.file("history.json")
        let previousMask = umask(0o077)
        defer { umask(previousMask) }

        try AtomicFile.write(Array("first".utf8), to: target)
        #expect(try directory.read("history.json") == "first")

        try AtomicFile.write(Array("second, longer".utf8), to: target)
        try AtomicFile.write(Array("third".utf8), to: target)
        #expect(try directory.read("history.json") == "third")
        #expect(try directory.names() == ["history.json"])

        var status = stat()
        #expect(stat(target, &status) == 0)
        #expect(status.st_mode & 0o7777 == 0o640)
    }

    @Test("writes empty and large contents whole")
    func sizes() throws {
        let directory = try TemporaryDirectory()
        let target = directory.file("data")
        try AtomicFile.write([], to: target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
        let large = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(large, to: target)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: target))) == large)
    }

    @Test("a directory that cannot exist is an error naming the path and the reason")
    func parentIsAFile() throws {
        let directory = try TemporaryDirectory()
        let notADirectory = try directory.write("plain", "x")
        #expect {
            try AtomicFile.write(Array("y".utf8), to: notADirectory + "/history.json")
        } throws: { error in
            let fileError = try #require(error as? FileError)
            return fileError.code == ENOTDIR
                && "\(fileError)".hasPrefix("cannot open \(notADirectory)/.history.json.tmp-")
                && "\(fileError)".hasSuffix(": Not a directory")
        }
        #expect(try directory.read("plain") == "x")
    }

    @Test("a failed rename removes the temporary file and leaves what was at the target")
    func failedRenameLeavesTarget() throws {
        let directory = try TemporaryDirectory()
        // rename(2) cannot replace a non-empty directory: the write gets all the way to the
        // rename and must then clean up.
        let target = directory.file("history.json")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try directory.write("history.json/old", "old content")
        #expect {
            try AtomicFile.write(Array("new".utf8), to: target)
        } throws: { error in
            let fileError = try #require(error as? FileError)
            return "\(fileError)".contains("cannot rename ") && "\(fileError)".contains(" to \(target): ")
        }
        #expect(try directory.names() == ["history.json"])
        #expect(try directory.read("history.json/old") == "old content")
    }
}
