import DialtoneControl
import DialtoneJSON
import Foundation
import Logging
import Testing

/// The socket file: permissions, group, stale and live sockets, adoption of a descriptor.
@Suite(.timeLimit(.minutes(1))) struct ControlServerSocketTests {
    private let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func status(of path: String) throws -> stat {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw TestFailure("no file at \(path)") }
        return status
    }

    /// A group the daemon can hand the socket to: as root any group, else our own.
    private func someGroup() throws -> (name: String, gid: gid_t) {
        let gid: gid_t = getuid() == 0 ? 65534 : getgid()
        guard let entry = getgrgid(gid) else { throw TestFailure("no group \(gid)") }
        return (String(cString: entry.pointee.gr_name), gid)
    }

    @Test func theSocketFileIsRestrictedAndGivenToTheGroup() async throws {
        let group = try someGroup()
        try await withControlServer(configure: { $0.socketGroup = group.name }) { path in
            let file = try status(of: path)
            #expect(file.st_mode & S_IFMT == S_IFSOCK)
            #expect(file.st_mode & 0o777 == 0o660)
            #expect(file.st_gid == group.gid)
        }
    }

    @Test func aMissingGroupIsSkipped() async throws {
        try await withControlServer(configure: { $0.socketGroup = "no-such-group-dialtone-test" }) { path in
            let file = try status(of: path)
            #expect(file.st_mode & 0o777 == 0o660)
            #expect(file.st_gid == getegid())
        }
    }

    @Test func theSocketFileIsRemovedAtStop() async throws {
        var socketPath = ""
        try await withControlServer { path in
            socketPath = path
            #expect(FileManager.default.fileExists(atPath: path))
        }
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }

    @Test func aStaleSocketIsReplacedAndALiveOneRefused() async throws {
        let directory = try makeSocketDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/control.sock"
        // A socket file nobody listens on, as a killed daemon leaves it.
        close(try listeningSocket(at: path))
        let leftover = try status(of: path)
        #expect(leftover.st_mode & S_IFMT == S_IFSOCK)

        let configuration = ControlServer.Configuration(listener: .path(path))
        let server = try await ControlServer.bind(configuration: configuration, backend: TestBackend(), logger: logger)
        try await serve(server) {
            let reply = try await TestClient.with(path) {
                try await $0.call(#"{"jsonrpc":"2.0","id":1,"method":"status"}"#)
            }
            #expect(reply["id"] == 1)
            await #expect(throws: ControlServerError.inUse(path)) {
                _ = try await ControlServer.bind(configuration: configuration, backend: TestBackend(), logger: logger)
            }
            // The refused second daemon left the first one's socket alone.
            let again = try await TestClient.with(path) {
                try await $0.call(#"{"jsonrpc":"2.0","id":2,"method":"status"}"#)
            }
            #expect(again["id"] == 2)
        }
    }

    @Test func somethingElseAtThePathIsLeftAlone() async throws {
        let directory = try makeSocketDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/control.sock"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        await #expect(throws: ControlServerError.notASocket(path)) {
            _ = try await ControlServer.bind(
                configuration: .init(listener: .path(path)), backend: TestBackend(), logger: logger)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
    }

    @Test func adoptsAListeningDescriptor() async throws {
        let directory = try makeSocketDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/adopted.sock"
        let descriptor = try listeningSocket(at: path)
        let server = try await ControlServer.bind(
            configuration: .init(listener: .descriptor(descriptor)), backend: TestBackend(), logger: logger)
        #expect(server.socketPath == nil)
        try await serve(server) {
            let reply = try await TestClient.with(path) {
                try await $0.call(#"{"jsonrpc":"2.0","id":1,"method":"users.list"}"#)
            }
            #expect(reply["result"]?["users"]?.arrayValue?.count == 2)
        }
        // The socket file belongs to whoever passed the descriptor (systemd); it stays.
        #expect(FileManager.default.fileExists(atPath: path))
    }

    /// Binds and listens as systemd does before passing the descriptor on.
    private func listeningSocket(at path: String) throws -> CInt {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw TestFailure("bind/listen failed") }
        return descriptor
    }
}
