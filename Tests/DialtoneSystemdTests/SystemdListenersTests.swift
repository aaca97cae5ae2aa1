import Foundation
import Testing

@testable import DialtoneSystemd

/// The checks behind `SystemdListeners.fromEnvironment()`, on real sockets made in this process.
@Suite struct SystemdListenersTests {
    @Test func namedDescriptorsAreSortedByNameNotPosition() throws {
        let directory = try TemporaryDirectory()
        let control = try TestSockets.unix(path: directory.file("control.sock"))
        let first = try TestSockets.tcp()
        let second = try TestSockets.tcp()
        defer { [control, first.fd, second.fd].forEach { close($0) } }

        let listeners = try SystemdListeners(checking: [
            (fd: first.fd, name: "http"), (fd: control, name: "control"), (fd: second.fd, name: "http"),
        ])

        #expect(listeners.http.map(\.fd) == [first.fd, second.fd])
        #expect(listeners.http.map(\.localAddress) == ["127.0.0.1:\(first.port)", "127.0.0.1:\(second.port)"])
        #expect(listeners.control == [ListenDescriptor(fd: control, name: .control, localAddress: directory.file("control.sock"))])
        #expect(listeners.descriptors(named: .http) == listeners.http)
        #expect(!listeners.isEmpty)
    }

    @Test(.enabled(if: TestSockets.isIPv6Available, "IPv6 loopback is not configured here"))
    func ipv6ListenersServeHTTP() throws {
        let listener = try TestSockets.tcp(host: "::1")
        defer { close(listener.fd) }
        let listeners = try SystemdListeners(checking: [(fd: listener.fd, name: "http")])
        #expect(listeners.http.map(\.localAddress) == ["[::1]:\(listener.port)"])
    }

    @Test func nothingPassedIsEmpty() throws {
        let listeners = try SystemdListeners(checking: [])
        #expect(listeners.isEmpty)
        #expect(listeners.http.isEmpty && listeners.control.isEmpty)
    }

    @Test func unknownNamesAreRefused() throws {
        let listener = try TestSockets.tcp()
        defer { close(listener.fd) }
        for name in ["unknown", "dialtone.socket", "HTTP", ""] {
            #expect(throws: SystemdError.unknownName(fd: listener.fd, name: name)) {
                try SystemdListeners(checking: [(fd: listener.fd, name: name)])
            }
        }
        let error = SystemdError.unknownName(fd: 3, name: "unknown")
        #expect(
            error.description
                == "systemd passed descriptor 3 named 'unknown'; dialtoned only adopts descriptors named 'http' or 'control' "
                + "(set FileDescriptorName= in the socket unit)"
        )
    }

    @Test func httpMustBeAListeningTCPSocket() throws {
        let directory = try TemporaryDirectory()
        let unixListener = try TestSockets.unix(path: directory.file("u.sock"))
        let udp = try TestSockets.tcp(listening: false, type: Int32(SOCK_DGRAM.rawValue))
        let notListening = try TestSockets.tcp(listening: false)
        let pipeEnds = try makePipe()
        defer { [unixListener, udp.fd, notListening.fd, pipeEnds.0, pipeEnds.1].forEach { close($0) } }

        for fd in [unixListener, udp.fd, notListening.fd, pipeEnds.0, 9999] {
            let expected = SystemdError.wrongType(fd: fd, name: "http", expected: "a listening TCP (stream, IPv4 or IPv6) socket")
            #expect(throws: expected) { try SystemdListeners(checking: [(fd: fd, name: "http")]) }
        }
        #expect(
            SystemdError.wrongType(fd: 4, name: "http", expected: ListenerName.http.expectedSocket).description
                == "systemd passed descriptor 4 named 'http', but it is not a listening TCP (stream, IPv4 or IPv6) socket"
        )
    }

    @Test func controlMustBeAListeningUnixStreamSocket() throws {
        let directory = try TemporaryDirectory()
        let tcp = try TestSockets.tcp()
        let datagram = try TestSockets.unix(path: directory.file("d.sock"), listening: false, type: Int32(SOCK_DGRAM.rawValue))
        let notListening = try TestSockets.unix(path: directory.file("n.sock"), listening: false)
        defer { [tcp.fd, datagram, notListening].forEach { close($0) } }

        for fd in [tcp.fd, datagram, notListening] {
            let expected = SystemdError.wrongType(fd: fd, name: "control", expected: "a listening Unix stream socket")
            #expect(throws: expected) { try SystemdListeners(checking: [(fd: fd, name: "control")]) }
        }
    }

    func makePipe() throws -> (Int32, Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EIO) }
        return (ends[0], ends[1])
    }
}
