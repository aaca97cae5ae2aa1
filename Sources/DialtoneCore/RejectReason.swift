/// Why a callee declined, as given in `reject_call`; `declined` when not said.
public enum RejectReason: String, Codable, CaseIterable, Sendable {
    case declined
    case busy

    /// A 1:1 call declined with `busy` is recorded as `busy`, otherwise as `rejected`.
    public var endReason: EndReason {
        switch self {
        case .declined: .rejected
        case .busy: .busy
        }
    }
}
