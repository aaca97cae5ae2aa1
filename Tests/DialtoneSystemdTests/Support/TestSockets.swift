import Foundation

/// Real sockets for the tests, made with plain system calls so nothing of the code under test
/// is involved in building its inputs.
enum TestSockets {
    struct Failure: Error, CustomStringConvertible {
        var call: String
        var code: Int32 = errno
        var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
    }

    static func stream(_ domain: Int32) throws -> Int32 {
        try make(domain, Int32(SOCK_STREAM.rawValue))
    }

    static func make(_ domain: Int32, _ type: Int32) throws -> Int32 {
        let fd = socket(domain, type, 0)
        guard fd >= 0 else { throw Failure(call: "socket") }
        return fd
    }

    /// A TCP socket bound to `host` (an IPv4 or IPv6 literal) on a free port; listening if asked.
    static func tcp(host: String = "127.0.0.1", listening: Bool = true, type: Int32 = Int32(SOCK_STREAM.rawValue)) throws
        -> (fd: Int32, port: UInt16)
    {
        let isIPv6 = host.contains(":")
        let fd = try make(isIPv6 ? AF_INET6 : AF_INET, type)
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    guard bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0 else { throw Failure(call: "bind") }
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, host, &address.sin_addr)
            try withUnsafePointer(to: &address) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    guard bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 else { throw Failure(call: "bind") }
                }
            }
        }
        if listening { guard listen(fd, 16) == 0 else { throw Failure(call: "listen") } }
        return (fd, try port(of: fd))
    }

    /// A Unix socket bound at `path`; listening if asked.
    static func unix(path: String, listening: Bool = true, type: Int32 = Int32(SOCK_STREAM.rawValue)) throws -> Int32 {
        let fd = try make(AF_UNIX, type)
        try withUnixAddress(path) { address, length in
            guard bind(fd, address, length) == 0 else { throw Failure(call: "bind") }
        }
        if listening { guard listen(fd, 16) == 0 else { throw Failure(call: "listen") } }
        return fd
    }

    static func port(of fd: Int32) throws -> UInt16 {
        var address = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        try withUnsafeMutablePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard getsockname(fd, $0, &length) == 0 else { throw Failure(call: "getsockname") }
            }
        }
        // sin_port and sin6_port sit at the same offset.
        return UInt16(bigEndian: address.sin6_port)
    }

    /// A port nobody listens on right now, for tools that cannot be told to pick one.
    static func freeTCPPort() throws -> UInt16 {
        let (fd, port) = try tcp(listening: false)
        close(fd)
        return port
    }

    static var isIPv6Available: Bool {
        guard let (fd, _) = try? tcp(host: "::1") else { return false }
        close(fd)
        return true
    }

    static func connectTCP(port: UInt16) throws -> Int32 {
        let fd = try stream(AF_INET)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 else { throw Failure(call: "connect") }
            }
        }
        return fd
    }

    static func connectUnix(path: String) throws -> Int32 {
        let fd = try stream(AF_UNIX)
        try withUnixAddress(path) { address, length in
            guard connect(fd, address, length) == 0 else { throw Failure(call: "connect") }
        }
        return fd
    }

    /// Everything the peer sends until it closes, waiting at most `timeout` for each read; closes `fd`.
    static func readToEnd(_ fd: Int32, timeout: Duration = .seconds(20)) -> String {
        defer { close(fd) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let milliseconds = Int32(timeout.components.seconds * 1000)
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds) == 1 else { break }
            let count = read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
