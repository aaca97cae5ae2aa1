import NIOCore

/// The deadlines of the Engine.IO sessions of one event loop (pings, pong timeouts, upgrade and
/// drain timeouts) in one ``TimerWheel``, served by one task per tick.
///
/// One NIO `Scheduled` task per session cost a task, a closure, a promise and an entry in the
/// loop's task heap per deadline, and a wakeup of its own: at 15,000 sessions and a 25 s ping
/// interval, 600 pings and 600 pong deadlines a second. Here the pings due in a tick are written
/// in one wakeup (and flushed together at its end, by the ``FlushCoalescer``), and a pong moves
/// its session in the wheel instead of leaving a timer to fire for nothing. A deadline is met up
/// to one tick late, which Engine.IO tolerates: a client waits `pingInterval + pingTimeout` for
/// a ping.
final class EngineIOLoopTimers: @unchecked Sendable {
    // @unchecked: `wheel` and `tickScheduled` are only touched on `eventLoop`; Sendable so that
    // the tick task can capture it.
    let eventLoop: any EventLoop
    private let tickNanoseconds: Int64
    private var wheel: TimerWheel<EngineIOSession>
    private var tickScheduled = false
    /// The sessions due in the current tick; kept between ticks so that its storage is reused
    /// (growing a fresh array to hundreds of sessions each tick showed in the idle profile).
    private var due: [EngineIOSession] = []

    /// `horizon`: the longest usual deadline, which sizes the wheel to one revolution.
    init(eventLoop: any EventLoop, tick: Duration, horizon: Duration) {
        self.eventLoop = eventLoop
        self.tickNanoseconds = max(1, tick.nanoseconds)
        let slotCount = horizon.nanoseconds / tickNanoseconds + 2
        self.wheel = TimerWheel(
            slotCount: Int(min(max(slotCount, 16), 65_536)),
            currentTick: EngineIOSession.now().nanoseconds / tickNanoseconds)
    }

    /// How many sessions have a deadline armed.
    var armedCount: Int { wheel.count }

    /// Arms (or moves) `session`'s deadline: it gets `timerFired()` in the first tick at or after it.
    func arm(_ session: EngineIOSession, at deadline: Duration) {
        eventLoop.assertInEventLoop()
        // Rounded up: a session is never handed out before its deadline.
        let tick = (deadline.nanoseconds + tickNanoseconds - 1) / tickNanoseconds
        wheel.schedule(session, at: tick)
        scheduleTick()
    }

    func disarm(_ session: EngineIOSession) {
        eventLoop.assertInEventLoop()
        wheel.remove(session)
    }

    /// The tick task runs while the wheel holds anyone: one task at a time, never cancelled (a
    /// cancel scans the loop's whole task heap in NIO 2.101).
    private func scheduleTick() {
        guard !tickScheduled else { return }
        tickScheduled = true
        let next = (wheel.currentTick + 1) * tickNanoseconds
        eventLoop.scheduleTask(deadline: .uptimeNanoseconds(UInt64(next))) { [self] in
            tickScheduled = false
            runTick()
        }
    }

    private func runTick() {
        wheel.advance(to: EngineIOSession.now().nanoseconds / tickNanoseconds, into: &due)
        for session in due {
            session.timerFired()
        }
        due.removeAll(keepingCapacity: true)
        if wheel.count > 0 { scheduleTick() }
    }
}
