import DialtoneJSON
import Foundation
import Testing

@testable import DialtoneControl

@Suite struct ControlOutboxStateTests {
    private func event(_ number: Int, type: String = "call.ringing") -> ControlEvent {
        ControlEvent(type: type, time: Date(timeIntervalSince1970: 0), fields: ["n": .number(JSONNumber(number))])
    }

    /// Drains the queue into a readable trace: `r:<response>`, `e:<n>`, `lagged:<count>`.
    private func drain(_ state: inout ControlOutboxState<String>, count: Int = .max) -> [String] {
        var trace: [String] = []
        while trace.count < count, let item = state.next() {
            switch item {
            case .response(let response): trace.append("r:\(response)")
            case .event(let event): trace.append("e:\(event.fields["n"]!.intValue!)")
            case .lagged(let dropped): trace.append("lagged:\(dropped)")
            }
        }
        return trace
    }

    @Test func eventsReachOnlySubscribers() {
        var state = ControlOutboxState<String>(eventCapacity: 4)
        let accepted1 = state.offer(event(1))
        #expect(!accepted1)
        let accepted2 = state.enqueue("subscribed", subscription: .everything)
        #expect(accepted2)
        let accepted3 = state.offer(event(2))
        #expect(accepted3)
        let trace4 = drain(&state)
        #expect(trace4 == ["r:subscribed", "e:2"])
    }

    @Test func answersGoBeforeQueuedEvents() {
        var state = ControlOutboxState<String>(eventCapacity: 4)
        _ = state.enqueue("subscribed", subscription: .everything)
        _ = state.offer(event(1))
        _ = state.enqueue("status", subscription: .everything)
        let trace5 = drain(&state)
        #expect(trace5 == ["r:subscribed", "r:status", "e:1"])
    }

    @Test func filterAdmitsTypesAndSubjects() {
        var state = ControlOutboxState<String>(eventCapacity: 8)
        _ = state.enqueue("ok", subscription: ControlEventFilter(entries: ["call.ended", "user"]))
        let accepted6 = state.offer(event(1, type: "call.ended"))
        #expect(accepted6)
        let accepted7 = state.offer(event(2, type: "call.ringing"))
        #expect(!accepted7)
        let accepted8 = state.offer(event(3, type: "user.online"))
        #expect(accepted8)
        let accepted9 = state.offer(event(4, type: "participant.left"))
        #expect(!accepted9)
        let accepted10 = state.offer(event(5, type: "callx.ended"))
        #expect(!accepted10)
        let trace11 = drain(&state)
        #expect(trace11 == ["r:ok", "e:1", "e:3"])
    }

    @Test func fullBufferDropsAndCounts() {
        var state = ControlOutboxState<String>(eventCapacity: 2)
        _ = state.enqueue("ok", subscription: .everything)
        let trace12 = drain(&state)
        #expect(trace12 == ["r:ok"])
        let accepted13 = state.offer(event(1))
        #expect(accepted13)
        let accepted14 = state.offer(event(2))
        #expect(accepted14)
        let accepted15 = state.offer(event(3))
        #expect(!accepted15)
        let accepted16 = state.offer(event(4))
        #expect(!accepted16)
        #expect(state.dropped == 2)
        let trace17 = drain(&state)
        #expect(trace17 == ["e:1", "e:2", "lagged:2"])
    }

    @Test func lagIsReportedBeforeEventsNewerThanTheDrop() {
        var state = ControlOutboxState<String>(eventCapacity: 2)
        _ = state.enqueue("ok", subscription: .everything)
        _ = state.offer(event(1))
        _ = state.offer(event(2))
        _ = state.offer(event(3))
        let trace18 = drain(&state, count: 2)
        #expect(trace18 == ["r:ok", "e:1"])
        // Room returned: the next event queues behind the lag report.
        let accepted19 = state.offer(event(4))
        #expect(accepted19)
        let trace20 = drain(&state)
        #expect(trace20 == ["e:2", "lagged:1", "e:4"])
    }

    @Test func lagIsReportedOnceTheBufferDrainsEvenWithoutNewEvents() {
        var state = ControlOutboxState<String>(eventCapacity: 1)
        _ = state.enqueue("ok", subscription: .everything)
        _ = state.offer(event(1))
        _ = state.offer(event(2))
        _ = state.offer(event(3))
        let trace21 = drain(&state)
        #expect(trace21 == ["r:ok", "e:1", "lagged:2"])
        #expect(state.dropped == 0)
        let trace22 = drain(&state)
        #expect(trace22 == [])
    }

    @Test func unsubscribingDiscardsQueuedEventsAndTheLag() {
        var state = ControlOutboxState<String>(eventCapacity: 1)
        _ = state.enqueue("subscribed", subscription: .everything)
        _ = state.offer(event(1))
        _ = state.offer(event(2))
        _ = state.enqueue("unsubscribed", subscription: nil)
        let accepted23 = state.offer(event(3))
        #expect(!accepted23)
        let trace24 = drain(&state)
        #expect(trace24 == ["r:subscribed", "r:unsubscribed"])
    }

    @Test func notificationsChangeTheSubscriptionWithoutAnAnswer() {
        var state = ControlOutboxState<String>(eventCapacity: 4)
        let accepted25 = state.enqueue(nil, subscription: .everything)
        #expect(accepted25)
        let accepted26 = state.offer(event(1))
        #expect(accepted26)
        let trace27 = drain(&state)
        #expect(trace27 == ["e:1"])
    }

    @Test func closingReturnsUnwrittenAnswersAndRefusesMore() {
        var state = ControlOutboxState<String>(eventCapacity: 4)
        _ = state.enqueue("a", subscription: .everything)
        _ = state.enqueue("b", subscription: .everything)
        _ = state.offer(event(1))
        let unsent = state.close()
        #expect(unsent == ["a", "b"])
        let accepted29 = state.enqueue("c", subscription: nil)
        #expect(!accepted29)
        let accepted30 = state.offer(event(2))
        #expect(!accepted30)
        let leftover = state.next()
        #expect(leftover == nil)
    }
}
