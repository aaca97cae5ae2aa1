/// The names dialtoned gives its listening sockets in `FileDescriptorName=`, and what each must be.
public enum ListenerName: String, Sendable, CaseIterable {
    /// TCP listeners for Socket.IO, `/ws` and the HTTP API; several are allowed (IPv4 and IPv6).
    case http
    /// The Unix stream listener for the JSON-RPC control interface.
    case control

    var expectedSocket: String {
        switch self {
        case .http: return "a listening TCP (stream, IPv4 or IPv6) socket"
        case .control: return "a listening Unix stream socket"
        }
    }
}
