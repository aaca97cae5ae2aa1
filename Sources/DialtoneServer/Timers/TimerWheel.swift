/// Where a member sits in a ``TimerWheel``. The member keeps it, so that moving or removing it
/// costs no search.
struct TimerWheelPosition: Sendable, Hashable {
    /// The tick the member is due at.
    var tick: Int64
    var slot: Int32
    var index: Int32
}

/// Something a ``TimerWheel`` can hold: a reference that stores its own position.
protocol TimerWheelMember: AnyObject {
    /// Set and cleared by the wheel only; `nil` while the member is not in a wheel.
    var wheelPosition: TimerWheelPosition? { get set }
}

/// A hashed timing wheel: members are bucketed by the tick they are due at (tick `t` lands in
/// slot `t % slotCount`), so scheduling, moving and removing one cost O(1) and handing out a
/// tick's members costs the size of its slot. Pure bookkeeping with ticks as input: the caller
/// turns instants into ticks and decides when to advance.
///
/// A member due more than `slotCount` ticks ahead waits in its slot for as many revolutions as
/// needed; sizing the wheel to the usual deadlines keeps those rare.
struct TimerWheel<Member: TimerWheelMember> {
    private var slots: [[Member]]
    /// Every tick up to this one has been handed out.
    private(set) var currentTick: Int64
    /// How many members the wheel holds.
    private(set) var count = 0

    init(slotCount: Int, currentTick: Int64) {
        precondition(slotCount > 0 && slotCount <= Int(Int32.max), "slot count out of range")
        self.slots = Array(repeating: [], count: slotCount)
        self.currentTick = currentTick
    }

    /// Schedules `member` for `tick`, moving it if it was scheduled for another. A tick already
    /// handed out means the next one: nothing is ever due in the past.
    mutating func schedule(_ member: Member, at tick: Int64) {
        let tick = max(tick, currentTick + 1)
        if let position = member.wheelPosition {
            if position.tick == tick { return }
            remove(member)
        }
        let slot = slotIndex(of: tick)
        member.wheelPosition = TimerWheelPosition(tick: tick, slot: Int32(slot), index: Int32(slots[slot].count))
        slots[slot].append(member)
        count += 1
    }

    /// Takes `member` out of the wheel; a member not in it is left as it is.
    mutating func remove(_ member: Member) {
        guard let position = member.wheelPosition else { return }
        let slot = Int(position.slot)
        let index = Int(position.index)
        precondition(slots[slot][index] === member, "timer wheel position out of date")
        let last = slots[slot].removeLast()
        if last !== member {
            // The last member fills the hole, so the slot stays dense.
            slots[slot][index] = last
            last.wheelPosition?.index = position.index
        }
        member.wheelPosition = nil
        count -= 1
    }

    /// Moves the wheel to `tick` and appends the members due at any tick up to it to `due`, taken
    /// out of the wheel, in no particular order. An earlier tick changes nothing.
    mutating func advance(to tick: Int64, into due: inout [Member]) {
        guard tick > currentTick else { return }
        if count > 0 {
            // A wheel left behind by more than a revolution visits every slot once.
            let visits = min(tick - currentTick, Int64(slots.count))
            var visited = currentTick + 1
            for _ in 0..<visits {
                takeDue(from: slotIndex(of: visited), upTo: tick, into: &due)
                visited += 1
            }
        }
        currentTick = tick
    }

    private func slotIndex(of tick: Int64) -> Int {
        let remainder = Int(tick % Int64(slots.count))
        return remainder < 0 ? remainder + slots.count : remainder
    }

    private mutating func takeDue(from slot: Int, upTo tick: Int64, into due: inout [Member]) {
        guard !slots[slot].isEmpty else { return }
        var kept = 0
        for index in slots[slot].indices {
            let member = slots[slot][index]
            if let position = member.wheelPosition, position.tick <= tick {
                member.wheelPosition = nil
                due.append(member)
            } else {
                slots[slot][kept] = member
                member.wheelPosition?.index = Int32(kept)
                kept += 1
            }
        }
        count -= slots[slot].count - kept
        slots[slot].removeLast(slots[slot].count - kept)
    }
}
