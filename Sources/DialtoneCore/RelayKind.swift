/// The WebRTC messages passed between participants untouched.
public enum RelayKind: String, CaseIterable, Sendable {
    case iceCandidate = "ice_candidate"
    case offer
    case answer

    /// The event name, both in the request and in what the other participants receive.
    public var event: String { rawValue }

    /// The payload member that carries the relayed body.
    public var bodyKey: String {
        switch self {
        case .iceCandidate: "candidate"
        case .offer, .answer: "sdp"
        }
    }
}
