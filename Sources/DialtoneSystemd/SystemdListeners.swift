import CSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The listening sockets systemd passed to this process, matched by `FileDescriptorName=`, never
/// by position.
///
/// For every name with descriptors here the daemon must serve those descriptors and bind nothing
/// itself; for a name without any it binds from its settings, as when started by hand.
public struct SystemdListeners: Sendable, Hashable {
    /// TCP listeners named `http`.
    public let http: [ListenDescriptor]
    /// Unix stream listeners named `control`.
    public let control: [ListenDescriptor]

    /// No descriptors at all: the daemon was not socket-activated.
    public var isEmpty: Bool { http.isEmpty && control.isEmpty }

    /// The descriptors passed under `name`.
    public func descriptors(named name: ListenerName) -> [ListenDescriptor] {
        switch name {
        case .http: return http
        case .control: return control
        }
    }

    /// Takes the descriptors systemd passed (`LISTEN_FDS`, `LISTEN_PID`, `LISTEN_FDNAMES`) and
    /// removes those variables from the environment, so no child process adopts them again.
    ///
    /// Without `LISTEN_FDS`, or when `LISTEN_PID` names another process, the result is empty.
    /// - Throws: ``SystemdError`` when a descriptor has a name dialtoned does not serve, or is not the
    ///   kind of socket its name says (`http`: listening TCP; `control`: listening Unix stream).
    public static func fromEnvironment() throws(SystemdError) -> SystemdListeners {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(1, &names)
        defer {
            if let names {
                for index in 0..<Int(max(count, 0)) { free(names[index]) }
                free(names)
            }
        }
        guard count >= 0 else { throw .listenFailed(errno: -count) }
        let passed = (0..<count).map { offset in
            let fd = SD_LISTEN_FDS_START + offset
            let name = names?[Int(offset)].map { String(cString: $0) } ?? "unknown"
            return (fd: fd, name: name)
        }
        return try SystemdListeners(checking: passed)
    }

    /// Sorts descriptors by name after checking each one's socket type.
    init(checking passed: [(fd: Int32, name: String)]) throws(SystemdError) {
        var http: [ListenDescriptor] = []
        var control: [ListenDescriptor] = []
        for (fd, rawName) in passed {
            guard let name = ListenerName(rawValue: rawName) else {
                throw .unknownName(fd: fd, name: rawName)
            }
            guard Self.isListening(fd, as: name) else {
                throw .wrongType(fd: fd, name: rawName, expected: name.expectedSocket)
            }
            let descriptor = ListenDescriptor(fd: fd, name: name, localAddress: ListenDescriptor.localAddress(of: fd))
            switch name {
            case .http: http.append(descriptor)
            case .control: control.append(descriptor)
            }
        }
        self.http = http
        self.control = control
    }

    private static func isListening(_ fd: Int32, as name: ListenerName) -> Bool {
        let streamType = Int32(SOCK_STREAM.rawValue)
        switch name {
        case .http: return sd_is_socket_inet(fd, AF_UNSPEC, streamType, 1, 0) > 0
        case .control: return sd_is_socket_unix(fd, streamType, 1, nil, 0) > 0
        }
    }
}
