import Synchronization

/// Fans the backend's events out to every connection's outbox. It is subscribed to the backend
/// only while a control connection is open: turning a call's observations into events costs
/// microseconds per call, which a daemon nobody is watching should not pay.
final class ControlEventHub: Sendable {
    private struct Connections {
        var outboxes: [ObjectIdentifier: ControlOutbox] = [:]
        var subscription: ControlEventCancellation?
    }

    private let connections = Mutex(Connections())
    private let subscribe: @Sendable (@escaping @Sendable (ControlEvent) -> Void) -> ControlEventCancellation

    init(subscribe: @escaping @Sendable (@escaping @Sendable (ControlEvent) -> Void) -> ControlEventCancellation) {
        self.subscribe = subscribe
    }

    func add(_ outbox: ControlOutbox) {
        connections.withLock { connections in
            connections.outboxes[ObjectIdentifier(outbox)] = outbox
            if connections.subscription == nil {
                connections.subscription = subscribe { [weak self] event in self?.publish(event) }
            }
        }
    }

    func remove(_ outbox: ControlOutbox) {
        connections.withLock { connections in
            connections.outboxes[ObjectIdentifier(outbox)] = nil
            if connections.outboxes.isEmpty {
                connections.subscription?.cancel()
                connections.subscription = nil
            }
        }
    }

    /// Called from the backend, on whatever thread it runs: takes a snapshot of the
    /// connections and offers the event to each, none of which can block.
    private func publish(_ event: ControlEvent) {
        let targets = connections.withLock { Array($0.outboxes.values) }
        for outbox in targets { outbox.offer(event) }
    }
}
