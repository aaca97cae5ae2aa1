import NIOCore

/// Something with a deadline on a ``LoopTimerWheel``.
protocol LoopTimerWheelMember: TimerWheelMember, SendableMetatype {
    /// The deadline the member was armed for has come (up to a tick late). Called on the loop.
    func deadlineReached()
}

/// The deadlines of many connections of one event loop in one ``TimerWheel``, served by one task
/// per tick instead of one NIO `Scheduled` task per deadline.
///
/// A `Scheduled` task costs a task, a closure, a promise and an entry in the loop's task heap,
/// and a wakeup of its own; cancelling one scans the whole heap, so superseded tasks were left to
/// fire for nothing. At 15,000 idle Engine.IO sessions (a 25 s ping interval) that was 600 pings
/// and 600 pong deadlines a second, and each HTTP connection's request and idle clocks added two
/// more tasks that outlived its upgrade to WebSocket. Here the members due in a tick are handed
/// out in one wakeup (pings written then leave together at its end, through the
/// ``FlushCoalescer``), and moving or removing a member costs O(1). A deadline is met up to one
/// tick late.
final class LoopTimerWheel<Member: LoopTimerWheelMember>: @unchecked Sendable {
    // @unchecked: `wheel`, `tickScheduled` and `due` are only touched on `eventLoop`; Sendable so
    // that the tick task can capture it.
    let eventLoop: any EventLoop
    private let tickNanoseconds: Int64
    private var wheel: TimerWheel<Member>
    private var tickScheduled = false
    /// The members due in the current tick; kept between ticks so that its storage is reused
    /// (growing a fresh array to hundreds of members each tick showed in the idle profile).
    private var due: [Member] = []

    /// `horizon`: the longest usual deadline, which sizes the wheel to one revolution.
    init(eventLoop: any EventLoop, tick: Duration, horizon: Duration) {
        self.eventLoop = eventLoop
        self.tickNanoseconds = max(1, tick.nanoseconds)
        let slotCount = horizon.nanoseconds / tickNanoseconds + 2
        self.wheel = TimerWheel(
            slotCount: Int(min(max(slotCount, 16), 65_536)),
            currentTick: Int64(NIODeadline.now().uptimeNanoseconds) / tickNanoseconds)
    }

    /// Arms (or moves) `member`'s deadline: it gets `deadlineReached()` in the first tick at or
    /// after it.
    func arm(_ member: Member, at deadline: NIODeadline) {
        eventLoop.assertInEventLoop()
        // Rounded up: a member is never handed out before its deadline.
        let nanoseconds = Int64(clamping: deadline.uptimeNanoseconds)
        let tick = nanoseconds / tickNanoseconds + (nanoseconds % tickNanoseconds == 0 ? 0 : 1)
        wheel.schedule(member, at: tick)
        scheduleTick()
    }

    func disarm(_ member: Member) {
        eventLoop.assertInEventLoop()
        wheel.remove(member)
    }

    /// The tick task runs while the wheel holds anyone: one task at a time, never cancelled.
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
        wheel.advance(to: Int64(NIODeadline.now().uptimeNanoseconds) / tickNanoseconds, into: &due)
        for member in due {
            member.deadlineReached()
        }
        due.removeAll(keepingCapacity: true)
        if wheel.count > 0 { scheduleTick() }
    }
}
