import Foundation
import Testing

/// `SystemdListeners.fromEnvironment()` in a child that Debian's systemd-socket-activate starts
/// with named descriptors, adopting them with NIO the way dialtoned does.
@Suite struct SocketActivationTests {
    static let activate = "/usr/bin/systemd-socket-activate"

    /// systemd-socket-activate starts its child on the first connection, so the test connects first.
    func activated(names: String, port: UInt16, controlPath: String) throws -> ChildProcess {
        let child = try ChildProcess(
            Self.activate,
            ["--fdname=\(names)", "-l", "127.0.0.1:\(port)", "-l", controlPath, ChildProcess.probePath, "listen"]
        )
        try waitUntilExists(controlPath)
        return child
    }

    func waitUntilExists(_ path: String) throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: path) {
            guard ContinuousClock.now < deadline else { throw TestSockets.Failure(call: "waiting for \(path)", code: ETIMEDOUT) }
            usleep(10_000)
        }
    }

    @Test func bothNamedSocketsAreServedThroughThePassedDescriptors() async throws {
        let directory = try TemporaryDirectory()
        let port = try TestSockets.freeTCPPort()
        let controlPath = directory.file("control.sock")
        let child = try activated(names: "http:control", port: port, controlPath: controlPath)

        let httpReply = TestSockets.readToEnd(try TestSockets.connectTCP(port: port))
        let controlReply = TestSockets.readToEnd(try TestSockets.connectUnix(path: controlPath))
        let result = try await child.finish()

        #expect(result.status == 0, "\(result.stderr)")
        #expect(httpReply == "http 3\n")
        #expect(controlReply == "control 4\n")
        #expect(
            result.stdoutLines == [
                "http 3 127.0.0.1:\(port)",
                "control 4 \(controlPath)",
                "env LISTEN_FDS=(unset) LISTEN_PID=(unset) LISTEN_FDNAMES=(unset)",
            ]
        )
        // The socket file belongs to whoever passed it: closing the adopted listener leaves it.
        #expect(FileManager.default.fileExists(atPath: controlPath))
    }

    @Test func namesNotPositionsDecide() async throws {
        let directory = try TemporaryDirectory()
        let port = try TestSockets.freeTCPPort()
        let controlPath = directory.file("control.sock")
        let child = try activated(names: "control:http", port: port, controlPath: controlPath)
        if let connection = try? TestSockets.connectTCP(port: port) { close(connection) }
        let result = try await child.finish()

        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "systemd-probe: systemd passed descriptor 3 named 'control', but it is not a listening Unix stream socket"
            ),
            "\(result.stderr)"
        )
    }

    @Test func descriptorsWithoutOurNamesAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let port = try TestSockets.freeTCPPort()
        let controlPath = directory.file("control.sock")
        let child = try activated(names: "web:control", port: port, controlPath: controlPath)
        if let connection = try? TestSockets.connectTCP(port: port) { close(connection) }
        let result = try await child.finish()

        #expect(result.status == 1)
        #expect(result.stderr.contains("systemd passed descriptor 3 named 'web'; dialtoned only adopts"), "\(result.stderr)")
    }

    @Test func withoutListenFdsNothingIsAdopted() async throws {
        let result = try await ChildProcess.run(ChildProcess.probePath, ["listen"])
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["env LISTEN_FDS=(unset) LISTEN_PID=(unset) LISTEN_FDNAMES=(unset)"])
    }

    @Test func descriptorsMeantForAnotherProcessAreIgnoredAndForgotten() async throws {
        let result = try await ChildProcess.run(
            ChildProcess.probePath,
            ["listen"],
            environment: ["LISTEN_FDS": "2", "LISTEN_PID": "1", "LISTEN_FDNAMES": "http:control"]
        )
        #expect(result.status == 0)
        #expect(result.stdoutLines == ["env LISTEN_FDS=(unset) LISTEN_PID=(unset) LISTEN_FDNAMES=(unset)"])
    }

    @Test func aMalformedListenFdsIsAClearError() async throws {
        let result = try await ChildProcess.run(
            "/bin/sh",
            ["-c", "LISTEN_PID=$$ LISTEN_FDS=two exec \"$0\" listen", ChildProcess.probePath],
            environment: ["PATH": ChildProcess.searchPath]
        )
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("systemd-probe: cannot read the sockets passed by systemd (LISTEN_FDS): Invalid argument (errno 22)"),
            "\(result.stderr)"
        )
    }
}
