#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the control socket could not be set up.
public struct ControlServerError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case inUse(path: String)
        case notASocket(path: String)
        case system(operation: String, path: String, errno: Int32)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// Another process (most likely a running dialtoned) accepts connections on the path.
    public static func inUse(_ path: String) -> ControlServerError {
        ControlServerError(.inUse(path: path))
    }

    /// Something other than a socket is at the path; it is left alone.
    public static func notASocket(_ path: String) -> ControlServerError {
        ControlServerError(.notASocket(path: path))
    }

    static func system(_ operation: String, path: String, errno: Int32) -> ControlServerError {
        ControlServerError(.system(operation: operation, path: path, errno: errno))
    }

    public var description: String {
        switch kind {
        case .inUse(let path):
            "control socket \(path) is in use by a running process (is dialtoned already running?)"
        case .notASocket(let path):
            "control socket path \(path) exists and is not a socket; not touching it"
        case .system(let operation, let path, let errno):
            "control socket \(path): \(operation) failed: \(String(cString: strerror(errno)))"
        }
    }
}
