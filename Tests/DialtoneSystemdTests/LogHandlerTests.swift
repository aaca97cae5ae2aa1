import Foundation
import Logging
import Testing

@testable import DialtoneSystemd

/// Reads what a StderrDestination writes, through a real pipe.
final class CapturedLines {
    let destination: StderrDestination
    private let readEnd: Int32
    private let writeEnd: Int32

    init(timestamps: Bool = false) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EIO) }
        readEnd = ends[0]
        writeEnd = ends[1]
        destination = StderrDestination(fd: writeEnd, timestamps: timestamps)
    }

    /// Everything written so far (the pipe is only read after the writes are done).
    func lines() -> [String] {
        close(writeEnd)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        close(readEnd)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

@Suite struct LogHandlerTests {
    /// The value-semantics check swift-log asks of every handler.
    @Test func handlersAreValues() throws {
        let level = SharedLogLevel(.info)
        let stderr = try CapturedLines().destination
        let factories: [@Sendable (String) -> any LogHandler] = [
            { DestinationLogHandler(label: $0, destination: stderr, level: level) },
            { DestinationLogHandler(label: $0, destination: JournalDestination(fallback: stderr), level: level) },
        ]
        for factory in factories {
            var first = Logger(label: "first", factory: factory)
            first.logLevel = .debug
            first[metadataKey: "only-on"] = "first"
            var second = first
            second.logLevel = .error
            second[metadataKey: "only-on"] = "second"
            #expect(first.logLevel == .debug)
            #expect(second.logLevel == .error)
            #expect(first[metadataKey: "only-on"] == "first")
            #expect(second[metadataKey: "only-on"] == "second")
        }
    }

    @Test func sharedLevelChangesEveryLoggerThatDidNotSetItsOwn() throws {
        let level = SharedLogLevel(.info)
        let captured = try CapturedLines()
        let destination = captured.destination
        let factory: @Sendable (String) -> any LogHandler = {
            DestinationLogHandler(label: $0, destination: destination, level: level)
        }
        let follower = Logger(label: "follower", factory: factory)
        var pinned = Logger(label: "pinned", factory: factory)
        pinned.logLevel = .error

        follower.debug("hidden")
        level.level = .debug
        follower.debug("shown")
        pinned.warning("still hidden")
        level.level = .trace
        #expect(follower.logLevel == .trace)
        #expect(pinned.logLevel == .error)

        #expect(captured.lines() == ["debug follower: shown", ""])
    }

    @Test func metadataMergesHandlerThenProviderThenCall() throws {
        let captured = try CapturedLines()
        let destination = captured.destination
        let provider = Logger.MetadataProvider { ["source": "provider", "request": "r1"] }
        var logger = Logger(label: "m") {
            DestinationLogHandler(label: $0, destination: destination, level: SharedLogLevel(.info), metadataProvider: provider)
        }
        logger[metadataKey: "source"] = "handler"
        logger[metadataKey: "node"] = "a"
        logger.info("hello", metadata: ["request": "r2"])
        #expect(captured.lines() == ["info m: hello node=a request=r2 source=provider", ""])
    }

    @Test func timestampsAreWrittenWhenAsked() throws {
        let captured = try CapturedLines(timestamps: true)
        let destination = captured.destination
        let logger = Logger(label: "t") { DestinationLogHandler(label: $0, destination: destination, level: SharedLogLevel(.info)) }
        logger.info("stamped")
        let line = try #require(captured.lines().first)
        #expect(line.hasSuffix("Z info t: stamped"))
        #expect(line.count == "2025-01-31T12:00:00.000Z info t: stamped".count)
    }

    @Test func concurrentLinesNeverInterleave() async throws {
        let captured = try CapturedLines()
        let destination = captured.destination
        let logger = Logger(label: "c") { DestinationLogHandler(label: $0, destination: destination, level: SharedLogLevel(.info)) }
        let payload = String(repeating: "x", count: 200)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<20 { logger.info("\(task)-\(index) \(payload)") }
                }
            }
        }
        let lines = captured.lines().dropLast()
        #expect(lines.count == 160)
        #expect(lines.allSatisfy { $0.hasPrefix("info c: ") && $0.hasSuffix(payload) })
    }
}
