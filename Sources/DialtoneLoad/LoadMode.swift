/// What a load run does with its connections.
public enum LoadMode: String, Sendable, CaseIterable {
    /// Connect and register N devices, hold them, answer every server ping.
    case idle
    /// P caller/callee pairs in one call each; callers stream `ice_candidate`, W in flight per pair.
    case relay
    /// P pairs looping full call lifecycles: call, accept, ICE both ways, end.
    case calls
}
