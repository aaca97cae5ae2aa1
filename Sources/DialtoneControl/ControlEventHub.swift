import Synchronization

/// Fans the backend's events out to every connection's outbox.
final class ControlEventHub: Sendable {
    private let outboxes = Mutex<[ObjectIdentifier: ControlOutbox]>([:])

    func add(_ outbox: ControlOutbox) {
        outboxes.withLock { $0[ObjectIdentifier(outbox)] = outbox }
    }

    func remove(_ outbox: ControlOutbox) {
        _ = outboxes.withLock { $0.removeValue(forKey: ObjectIdentifier(outbox)) }
    }

    /// Called from the backend, on whatever thread it runs: takes a snapshot of the
    /// connections and offers the event to each, none of which can block.
    func publish(_ event: ControlEvent) {
        let targets = outboxes.withLock { Array($0.values) }
        for outbox in targets { outbox.offer(event) }
    }
}
