/// Why the descriptors systemd passed cannot be used. Each description names the descriptor,
/// its name and what was expected, so a wrong unit file is fixed from the message alone.
public struct SystemdError: Error, Hashable, CustomStringConvertible {
    private enum Kind: Hashable {
        case listenFailed(errno: Int32)
        case unknownName(fd: Int32, name: String)
        case wrongType(fd: Int32, name: String, expected: String)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// `sd_listen_fds_with_names` itself failed (for example a malformed `LISTEN_FDS`).
    public static func listenFailed(errno: Int32) -> SystemdError {
        SystemdError(.listenFailed(errno: errno))
    }

    /// A descriptor was passed under a name dialtone does not serve.
    public static func unknownName(fd: Int32, name: String) -> SystemdError {
        SystemdError(.unknownName(fd: fd, name: name))
    }

    /// A descriptor's name says one kind of socket but the descriptor is something else.
    public static func wrongType(fd: Int32, name: String, expected: String) -> SystemdError {
        SystemdError(.wrongType(fd: fd, name: name, expected: expected))
    }

    public var description: String {
        switch kind {
        case .listenFailed(let code):
            return "cannot read the sockets passed by systemd (LISTEN_FDS): \(errnoDescription(code))"
        case .unknownName(let fd, let name):
            let known = ListenerName.allCases.map(\.rawValue).joined(separator: "' or '")
            return "systemd passed descriptor \(fd) named '\(name)'; dialtoned only adopts descriptors named '\(known)' "
                + "(set FileDescriptorName= in the socket unit)"
        case .wrongType(let fd, let name, let expected):
            return "systemd passed descriptor \(fd) named '\(name)', but it is not \(expected)"
        }
    }
}
