import NIOCore
import NIOPosix

/// Flushes the WebSocket connections of one event loop once per tick instead of once per
/// message: a `writev` per relayed message was a third of the relay's CPU.
///
/// Every write is flushed by one task at the end of the loop's tick. NIO runs tasks after the
/// reads of all the connections epoll reported ready, so a connection written to by several of
/// them is flushed once, and the flushes come in one burst: a peer woken by the first is usually
/// still awake for the next. Flushing as each read completed instead cost a quarter more CPU
/// per call and held 500×4 relays at three quarters of the rate (BENCHMARKS.md, "Flush pass").
/// A peer's frames still leave in the tick they were written.
final class FlushCoalescer: @unchecked Sendable {
    // @unchecked: used only on its event loop, which owns it; Sendable so that the loop's task
    // can capture it.
    private let eventLoop: any EventLoop
    private var pending: [WebSocketConnectionHandler] = []
    /// The array `pending` is swapped with while flushing, so neither is reallocated per batch.
    private var flushing: [WebSocketConnectionHandler] = []
    private var flushTaskScheduled = false

    private init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    private static let perThread = ThreadSpecificVariable<FlushCoalescer>()

    /// The coalescer of `eventLoop`, which must be the calling thread's loop. An event loop owns
    /// its thread, so a thread-local is a per-loop value found without a lock.
    static func of(_ eventLoop: any EventLoop) -> FlushCoalescer {
        eventLoop.preconditionInEventLoop()
        if let coalescer = perThread.currentValue, coalescer.eventLoop === eventLoop { return coalescer }
        // A thread that runs several loops in turn (embedded loops in tests) gets one per loop.
        let coalescer = FlushCoalescer(eventLoop: eventLoop)
        perThread.currentValue = coalescer
        return coalescer
    }

    /// `connection` wrote without flushing; it is flushed once however many more writes follow.
    func flushLater(_ connection: WebSocketConnectionHandler) {
        pending.append(connection)
        guard !flushTaskScheduled else { return }
        flushTaskScheduled = true
        eventLoop.execute { [self] in
            flushTaskScheduled = false
            flushPending()
        }
    }

    private func flushPending() {
        // A flush can close a connection, whose teardown can write to others: loop until quiet.
        while !pending.isEmpty {
            swap(&pending, &flushing)
            for connection in flushing { connection.flushNow() }
            flushing.removeAll(keepingCapacity: true)
        }
    }
}
