import NIOCore
import NIOPosix

/// Flushes the WebSocket connections of one event loop once per batch of writes instead of once
/// per message: a `writev` per relayed message was a third of the relay's CPU.
///
/// Writes made while an inbound read is in progress on this loop (a relay is written while its
/// source's frame is being read) are flushed when that read completes; writes made outside any
/// read (timers, tasks hopped from another loop) are flushed by one task at the end of the tick.
/// Either way a peer's frames leave in the same tick they were written.
final class FlushCoalescer: @unchecked Sendable {
    // @unchecked: used only on its event loop, which owns it; Sendable so that the loop's task
    // can capture it.
    private let eventLoop: any EventLoop
    private var pending: [WebSocketConnectionHandler] = []
    /// The array `pending` is swapped with while flushing, so neither is reallocated per batch.
    private var flushing: [WebSocketConnectionHandler] = []
    private var readsInProgress = 0
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
        guard readsInProgress == 0, !flushTaskScheduled else { return }
        flushTaskScheduled = true
        eventLoop.execute { [self] in
            flushTaskScheduled = false
            flushPending()
        }
    }

    /// An inbound read started on a connection of this loop: its `readEnded()` will flush.
    func readBegan() {
        readsInProgress += 1
    }

    func readEnded() {
        readsInProgress -= 1
        if readsInProgress == 0 { flushPending() }
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
