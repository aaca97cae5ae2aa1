#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One listening socket that systemd passed, already checked to be the kind its name promises.
public struct ListenDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// The descriptor number; hand it to `ServerBootstrap.bind(_:)`/`withBoundSocket(_:)`, which take
    /// ownership of it. A passed Unix socket's file belongs to systemd: never unlink it.
    public let fd: Int32
    /// The name from `FileDescriptorName=`.
    public let name: ListenerName
    /// Where the socket listens, for logs: `127.0.0.1:8080`, `[::]:8080` or a Unix path.
    public let localAddress: String

    public init(fd: Int32, name: ListenerName, localAddress: String) {
        self.fd = fd
        self.name = name
        self.localAddress = localAddress
    }

    public var description: String { "\(name.rawValue) fd \(fd) on \(localAddress)" }
}

extension ListenDescriptor {
    /// The socket's own address as text, or `?` when the kernel will not tell.
    static func localAddress(of fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return "?" }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafeBytes(of: storage) { raw in
                let address = raw.load(as: sockaddr_in.self)
                let host = withUnsafeBytes(of: address.sin_addr) { numericHost(family: AF_INET, $0) }
                return "\(host):\(UInt16(bigEndian: address.sin_port))"
            }
        case AF_INET6:
            return withUnsafeBytes(of: storage) { raw in
                let address = raw.load(as: sockaddr_in6.self)
                let host = withUnsafeBytes(of: address.sin6_addr) { numericHost(family: AF_INET6, $0) }
                return "[\(host)]:\(UInt16(bigEndian: address.sin6_port))"
            }
        case AF_UNIX:
            return withUnsafeBytes(of: storage) { raw in
                let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
                let pathBytes = raw[pathOffset..<min(Int(length), raw.count)]
                guard let first = pathBytes.first else { return "(unnamed)" }
                // A leading NUL marks a Linux abstract socket, shown as systemd writes it: "@name".
                if first == 0 {
                    return "@" + String(decoding: pathBytes.dropFirst().prefix { $0 != 0 }, as: UTF8.self)
                }
                return String(decoding: pathBytes.prefix { $0 != 0 }, as: UTF8.self)
            }
        default:
            return "?"
        }
    }

    private static func numericHost(family: Int32, _ address: UnsafeRawBufferPointer) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, address.baseAddress, &text, socklen_t(text.count)) != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
