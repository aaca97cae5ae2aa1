import Synchronization

/// The open connections of a listener, in all and by remote address, to enforce
/// ``HTTPServer/Limits/maxConnections`` and ``HTTPServer/Limits/maxConnectionsPerAddress``.
final class ConnectionCounter: Sendable {
    enum Admission: Equatable {
        case admitted
        case refused(LimitRejection)
    }

    private let maxTotal: Int
    private let maxPerAddress: Int
    private let counts = Mutex((total: 0, byAddress: [String: Int]()))

    init(maxTotal: Int?, maxPerAddress: Int?) {
        self.maxTotal = maxTotal ?? .max
        self.maxPerAddress = maxPerAddress ?? .max
    }

    /// Counts a new connection from `address` (nil when unknown, such as a Unix socket) if the
    /// limits allow it; an admitted connection must be ``release(_:)``d when it closes.
    func admit(_ address: String?) -> Admission {
        counts.withLock { counts in
            guard counts.total < maxTotal else { return .refused(.connections) }
            if let address {
                let current = counts.byAddress[address, default: 0]
                guard current < maxPerAddress else { return .refused(.connectionsPerAddress) }
                counts.byAddress[address] = current + 1
            }
            counts.total += 1
            return .admitted
        }
    }

    func release(_ address: String?) {
        counts.withLock { counts in
            counts.total -= 1
            guard let address, let current = counts.byAddress[address] else { return }
            counts.byAddress[address] = current > 1 ? current - 1 : nil
        }
    }
}
