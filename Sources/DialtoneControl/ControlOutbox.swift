import Synchronization

/// A connection's outgoing queue, shared by its request loop, its writer and the event hub.
/// Offering an event never blocks: it takes a lock for a few instructions and returns, so
/// the backend can publish from inside its own critical section.
final class ControlOutbox: Sendable {
    /// An answer to write, and the waiter to release once it is written.
    struct Response: Sendable {
        let bytes: [UInt8]
        let written: CheckedContinuation<Void, Never>
    }

    typealias Item = ControlOutboxState<Response>.Item

    private let state: Mutex<ControlOutboxState<Response>>
    private let wakeup: AsyncStream<Void>.Continuation
    /// Yields whenever there may be something to write; ends when the outbox closes.
    let wakeups: AsyncStream<Void>

    init(eventCapacity: Int) {
        state = Mutex(ControlOutboxState(eventCapacity: eventCapacity))
        (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues an answer with the subscription it leaves and returns once it has been written
    /// (or the connection is gone), so a client that does not read cannot pile up answers.
    func send(_ bytes: [UInt8], subscription: ControlEventFilter?) async {
        await withCheckedContinuation { continuation in
            let queued = state.withLock {
                $0.enqueue(Response(bytes: bytes, written: continuation), subscription: subscription)
            }
            if queued {
                wakeup.yield()
            } else {
                continuation.resume()
            }
        }
    }

    /// Applies a subscription change made by a request that has no answer (a notification).
    func update(subscription: ControlEventFilter?) {
        state.withLock { _ = $0.enqueue(nil, subscription: subscription) }
    }

    func offer(_ event: ControlEvent) {
        if state.withLock({ $0.offer(event) }) { wakeup.yield() }
    }

    func next() -> Item? {
        state.withLock { $0.next() }
    }

    var isSubscribed: Bool {
        state.withLock { $0.filter != nil }
    }

    /// Ends the writer and releases everyone waiting for an answer to be written.
    func close() {
        let unsent = state.withLock { $0.close() }
        wakeup.finish()
        for response in unsent { response.written.resume() }
    }
}
