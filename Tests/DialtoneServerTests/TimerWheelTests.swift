import Testing

@testable import DialtoneServer

@Suite("Timer wheel")
struct TimerWheelTests {
    final class Member: TimerWheelMember {
        let name: Int
        var wheelPosition: TimerWheelPosition?
        init(_ name: Int) { self.name = name }
    }

    private func names(_ members: [Member]) -> [Int] { members.map(\.name).sorted() }
}

extension TimerWheel {
    /// The members due up to `tick`, for tests that look at one tick at a time.
    fileprivate mutating func advance(to tick: Int64) -> [Member] {
        var due: [Member] = []
        advance(to: tick, into: &due)
        return due
    }
}

extension TimerWheelTests {
    @Test func handsOutMembersAtTheirTickAndNotBefore() {
        var wheel = TimerWheel<Member>(slotCount: 8, currentTick: 100)
        let early = Member(1)
        let late = Member(2)
        wheel.schedule(early, at: 103)
        wheel.schedule(late, at: 105)
        #expect(wheel.advance(to: 102).isEmpty)
        #expect(names(wheel.advance(to: 103)) == [1])
        #expect(early.wheelPosition == nil)
        #expect(wheel.count == 1)
        #expect(names(wheel.advance(to: 110)) == [2])
        #expect(wheel.count == 0)
    }

    @Test func aTickAlreadyHandedOutMeansTheNextOne() {
        var wheel = TimerWheel<Member>(slotCount: 8, currentTick: 50)
        let member = Member(1)
        wheel.schedule(member, at: 20)
        #expect(member.wheelPosition?.tick == 51)
        #expect(names(wheel.advance(to: 51)) == [1])
    }

    @Test func reschedulingMovesAMember() {
        var wheel = TimerWheel<Member>(slotCount: 8, currentTick: 0)
        let member = Member(1)
        wheel.schedule(member, at: 2)
        wheel.schedule(member, at: 6)
        #expect(wheel.count == 1)
        #expect(wheel.advance(to: 5).isEmpty)
        #expect(names(wheel.advance(to: 6)) == [1])
        #expect(wheel.count == 0)
    }

    @Test func removedMembersAreNotHandedOut() {
        var wheel = TimerWheel<Member>(slotCount: 4, currentTick: 0)
        let members = (0..<5).map(Member.init)
        for member in members { wheel.schedule(member, at: 3) }
        wheel.remove(members[0])
        wheel.remove(members[2])
        wheel.remove(members[2])
        #expect(wheel.count == 3)
        #expect(names(wheel.advance(to: 3)) == [1, 3, 4])
    }

    @Test func membersMoreThanARevolutionAheadWaitForTheirTick() {
        var wheel = TimerWheel<Member>(slotCount: 4, currentTick: 0)
        let far = Member(1)
        let near = Member(2)
        wheel.schedule(far, at: 9)  // the same slot as tick 1 and tick 5
        wheel.schedule(near, at: 1)
        #expect(names(wheel.advance(to: 1)) == [2])
        #expect(wheel.advance(to: 5).isEmpty)
        #expect(wheel.advance(to: 8).isEmpty)
        #expect(names(wheel.advance(to: 9)) == [1])
    }

    @Test func aWheelLeftBehindHandsOutEverythingDueAtOnce() {
        var wheel = TimerWheel<Member>(slotCount: 4, currentTick: 0)
        for tick in 1...12 { wheel.schedule(Member(tick), at: Int64(tick)) }
        #expect(names(wheel.advance(to: 10)) == Array(1...10))
        #expect(names(wheel.advance(to: 12)) == [11, 12])
    }

    @Test func anEarlierTickChangesNothing() {
        var wheel = TimerWheel<Member>(slotCount: 4, currentTick: 10)
        wheel.schedule(Member(1), at: 11)
        #expect(wheel.advance(to: 5).isEmpty)
        #expect(wheel.currentTick == 10)
        #expect(wheel.count == 1)
    }

    /// Random schedules, moves and removals against a dictionary of due ticks: the wheel must
    /// hand out exactly the members due, each once, and keep its positions consistent.
    @Test func agreesWithAPlainModel() {
        var generator = SplitMix64(seed: 0x5EED)
        var wheel = TimerWheel<Member>(slotCount: 16, currentTick: 0)
        let members = (0..<200).map(Member.init)
        var model: [Int: Int64] = [:]
        var now: Int64 = 0
        for _ in 0..<5_000 {
            let member = members[Int(generator.next() % 200)]
            switch generator.next() % 4 {
            case 0, 1:
                let tick = now + Int64(generator.next() % 40) - 2
                wheel.schedule(member, at: tick)
                model[member.name] = max(tick, now + 1)
            case 2:
                wheel.remove(member)
                model[member.name] = nil
            default:
                now += Int64(generator.next() % 5)
                let expected = model.filter { $0.value <= now }.keys.sorted()
                #expect(names(wheel.advance(to: now)) == expected)
                for name in expected { model[name] = nil }
                #expect(wheel.count == model.count)
                #expect(members.allSatisfy { $0.wheelPosition?.tick == model[$0.name] })
            }
        }
    }
}

/// A small seeded generator, so the random test is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1330_11EB
        return z ^ (z >> 31)
    }
}
