import Dispatch
import Foundation
import NIOCore
import NIOPosix
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@testable import DialtoneSystemd

final class PingCounter: Sendable {
    private let count = Atomic(0)
    var value: Int { count.load(ordering: .relaxed) }
    func ping() { count.add(1, ordering: .relaxed) }

    /// Waits (bounded) until at least `target` pings happened.
    func wait(forAtLeast target: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while value < target {
            guard ContinuousClock.now < deadline else { return }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

@Suite struct SystemdWatchdogTests {
    @Test func aStuckEventLoopStopsThePings() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let counter = PingCounter()
        let loops = Array(group.makeIterator())
        let blocked = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        loops[1].execute {
            blocked.signal()
            release.wait()
        }
        blocked.wait()

        let watchdog = SystemdWatchdog(interval: .milliseconds(10), eventLoopGroup: group, ping: counter.ping)
        let running = Task { try await watchdog.run() }
        // Twenty intervals with one loop stuck: a watchdog that only checked time would have pinged.
        try await Task.sleep(for: .milliseconds(200))
        #expect(counter.value == 0)

        release.signal()
        try await counter.wait(forAtLeast: 3)
        #expect(counter.value >= 3)
        running.cancel()
        try await running.value
        try await group.shutdownGracefully()
    }

    @Test func gracefulShutdownEndsTheService() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let counter = PingCounter()
        let watchdog = SystemdWatchdog(interval: .seconds(3600), eventLoopGroup: group, ping: counter.ping)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await watchdog.run() }
                try await counter.wait(forAtLeast: 1)
                #expect(counter.value == 1)
                trigger.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        try await group.shutdownGracefully()
    }

    /// The whole path in a child: WATCHDOG_USEC read by sd_watchdog_enabled, pings to NOTIFY_SOCKET.
    @Test func pingsFollowWatchdogUsecUntilSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let socket = try DatagramSocket(path: directory.file("notify"))
        let child = try ChildProcess(
            ChildProcess.probePath,
            ["watchdog"],
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "200000"]
        )
        var received: [String] = []
        while received.count < 4, let datagram = socket.receive() {
            received.append(String(decoding: datagram, as: UTF8.self))
        }
        child.signal(SIGTERM)
        let result = try await child.finish()
        received += socket.receiveAll().map { String(decoding: $0, as: UTF8.self) }

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines == ["interval 0.1 seconds"])
        #expect(received.first == "READY=1")
        #expect(received.last == "STOPPING=1")
        #expect(received.dropFirst().dropLast().count >= 3)
        #expect(received.dropFirst().dropLast().allSatisfy { $0 == "WATCHDOG=1" }, "\(received)")
    }

    @Test(arguments: [["WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"], [:], ["WATCHDOG_USEC": "0"]])
    func noWatchdogUnlessSystemdAskedThisProcess(environment: [String: String]) async throws {
        let result = try await ChildProcess.run(ChildProcess.probePath, ["watchdog"], environment: environment)
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["disabled"])
    }
}
