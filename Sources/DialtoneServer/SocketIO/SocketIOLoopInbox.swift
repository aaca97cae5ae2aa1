import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Frames for the Socket.IO clients of one event loop, sent from other loops. One task per loop
/// and tick carries everything queued meanwhile, instead of one task (and one closure) per frame.
///
/// Each client may have at most ``maxQueuedPerClient`` frames waiting here: a loop too busy to
/// drain its inbox must not let other loops pile up frames for it without bound, so a client
/// over the limit is closed and gets nothing more.
final class SocketIOLoopInbox: @unchecked Sendable {
    // @unchecked: `entries`, `drainScheduled` and the clients' `inboxQueued` and `inboxOverflowed`
    // are guarded by `lock`;
    // `draining` is only touched on `eventLoop`.
    private struct Entry {
        let socket: SocketIOSocket
        let frame: ByteBuffer
        let attachments: [[UInt8]]
    }

    static let maxQueuedPerClient = 4096

    private let eventLoop: any EventLoop
    private let lock = NIOLock()
    private var entries: [Entry] = []
    private var drainScheduled = false
    private var draining: [Entry] = []

    private init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    private static let perThread = ThreadSpecificVariable<SocketIOLoopInbox>()

    /// The inbox of `eventLoop`, which must be the calling thread's loop (see
    /// ``FlushCoalescer/of(_:)`` for why a thread-local).
    static func of(_ eventLoop: any EventLoop) -> SocketIOLoopInbox {
        eventLoop.preconditionInEventLoop()
        if let inbox = perThread.currentValue, inbox.eventLoop === eventLoop { return inbox }
        let inbox = SocketIOLoopInbox(eventLoop: eventLoop)
        perThread.currentValue = inbox
        return inbox
    }

    enum Admission {
        case queued
        /// The client reached the limit with this frame, which was dropped: close it.
        case overflowed
        /// Dropped: the client overflowed before and is being closed.
        case dropped
    }

    /// Queues `frame` for `socket`'s client, from any thread, unless the client already has
    /// ``maxQueuedPerClient`` frames waiting.
    func enqueue(_ frame: ByteBuffer, attachments: [[UInt8]], for socket: SocketIOSocket) -> Admission {
        let client = socket.state.client
        let (admission, schedule) = lock.withLock { () -> (Admission, Bool) in
            guard !client.inboxOverflowed else { return (.dropped, false) }
            guard client.inboxQueued < Self.maxQueuedPerClient else {
                client.inboxOverflowed = true
                return (.overflowed, false)
            }
            client.inboxQueued += 1
            entries.append(Entry(socket: socket, frame: frame, attachments: attachments))
            let schedule = !drainScheduled
            drainScheduled = true
            return (.queued, schedule)
        }
        if schedule { eventLoop.execute { self.drain() } }
        return admission
    }

    private func drain() {
        lock.withLock {
            swap(&entries, &draining)
            drainScheduled = false
            for entry in draining { entry.socket.state.client.inboxQueued -= 1 }
        }
        for entry in draining {
            entry.socket.state.client.deliver(entry.frame, attachments: entry.attachments, ifConnected: entry.socket)
        }
        draining.removeAll(keepingCapacity: true)
    }
}
