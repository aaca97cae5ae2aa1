import Foundation
import Testing

@testable import DialtoneSystemd

/// Notifications sent by a child to a datagram socket the test owns, named in `NOTIFY_SOCKET`.
@Suite struct SystemdNotifierTests {
    func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    @Test func notificationsArriveInOrder() async throws {
        let directory = try TemporaryDirectory()
        let socket = try DatagramSocket(path: directory.file("notify"))
        let before = monotonicMicroseconds()
        let result = try await ChildProcess.run(
            ChildProcess.probePath,
            ["notify", "ready", "status:3 devices, 1 ringing, 2 active calls", "reloading", "ready:serving", "watchdog", "stopping"],
            environment: ["NOTIFY_SOCKET": socket.path]
        )
        let after = monotonicMicroseconds()
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["enabled"])

        let datagrams = socket.receiveAll().map { String(decoding: $0, as: UTF8.self) }
        try #require(datagrams.count == 6, "\(datagrams)")
        #expect(datagrams[0] == "READY=1")
        #expect(datagrams[1] == "STATUS=3 devices, 1 ringing, 2 active calls")
        let reloading = datagrams[2].split(separator: "\n")
        #expect(reloading.first == "RELOADING=1")
        let stamp = try #require(reloading.count == 2 ? UInt64(reloading[1].dropFirst("MONOTONIC_USEC=".count)) : nil)
        #expect(reloading[1].hasPrefix("MONOTONIC_USEC="))
        #expect((before...after).contains(stamp), "MONOTONIC_USEC \(stamp) not within the child's lifetime")
        #expect(datagrams[3] == "READY=1\nSTATUS=serving")
        #expect(datagrams[4] == "WATCHDOG=1")
        #expect(datagrams[5] == "STOPPING=1")
    }

    @Test func statusTextCannotAddAssignments() async throws {
        let directory = try TemporaryDirectory()
        let socket = try DatagramSocket(path: directory.file("notify"))
        let result = try await ChildProcess.run(
            ChildProcess.probePath,
            ["notify", "status:2 devices\nREADY=1\r\u{7f}done"],
            environment: ["NOTIFY_SOCKET": socket.path]
        )
        #expect(result.status == 0)
        #expect(socket.receiveAll().map { String(decoding: $0, as: UTF8.self) } == ["STATUS=2 devices READY=1  done"])
        #expect(SystemdNotifier.statusAssignment("a\tb") == "STATUS=a b")
    }

    @Test func withoutNotifySocketNothingIsSent() async throws {
        let result = try await ChildProcess.run(ChildProcess.probePath, ["notify", "ready", "stopping"])
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["disabled"])
        #expect(result.stderr.isEmpty)
    }
}
