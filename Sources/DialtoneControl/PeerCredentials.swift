import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is on the other end of a control connection, as the kernel reports it (`SO_PEERCRED`):
/// logged with every call that changes the daemon's state.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public let pid: Int32
    public let uid: UInt32
    public let gid: UInt32

    public var description: String { "pid=\(pid) uid=\(uid) gid=\(gid)" }

    var metadata: Logger.Metadata {
        [
            "dialtone.peer.pid": "\(pid)",
            "dialtone.peer.uid": "\(uid)",
            "dialtone.peer.gid": "\(gid)",
        ]
    }

    /// `struct ucred` as Linux lays it out; Swift's Glibc module does not export it.
    private struct KernelCredentials: Sendable {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    /// Reads the credentials of a connected Unix socket; `nil` where the platform or the
    /// channel cannot say.
    static func read(from channel: Channel) -> EventLoopFuture<PeerCredentials?> {
        #if os(Linux)
            guard let provider = channel as? SocketOptionProvider else {
                return channel.eventLoop.makeSucceededFuture(nil)
            }
            let credentials: EventLoopFuture<KernelCredentials> = provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
            return credentials.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
                .recover { _ in nil }
        #else
            return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }
}
