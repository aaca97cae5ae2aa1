import DialtoneProtocol
import Testing

@Suite("Engine.IO session state machine")
struct EngineIOSessionStateMachineTests {
    typealias Machine = EngineIOSessionStateMachine

    /// Holds the machine by reference, so inputs can run inside `#expect`.
    final class Box {
        var value: Machine
        init(_ value: Machine) { self.value = value }
    }

    func polling(at now: Duration = .zero) -> Machine {
        Machine(
            transport: .polling, pingInterval: .milliseconds(300), pingTimeout: .milliseconds(200),
            upgradeTimeout: .seconds(10), closeTimeout: .seconds(1), now: now)
    }

    @Test func pollWithoutDataParksAndASecondPollClosesTheSession() {
        let machine = Box(polling())
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .park)
        #expect(machine.value.isPollParked)
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .rejectAndClose)
        #expect(machine.value.isClosed)
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .reject)
    }

    @Test func pollWithBufferedDataIsAnsweredAtOnce() {
        let machine = Box(polling())
        #expect(machine.value.pollRequested(hasBufferedPackets: true, now: .zero) == .respond)
        #expect(!machine.value.isPollParked)
    }

    @Test func messagesAreDeliveredAndPongsKeepTheSessionAlive() {
        let machine = Box(polling())
        #expect(machine.value.received(.message("hi"), from: .activeTransport, now: .zero) == .deliver)
        #expect(machine.value.received(.binary([1]), from: .activeTransport, now: .zero) == .deliver)
        #expect(machine.value.timerFired(now: .milliseconds(300)).sendPing)
        #expect(machine.value.received(.pong(""), from: .activeTransport, now: .milliseconds(400)) == .none)
        #expect(machine.value.timerFired(now: .milliseconds(600)).close == nil)
        #expect(machine.value.nextDeadline == .milliseconds(700))
        #expect(machine.value.timerFired(now: .milliseconds(700)).sendPing)
        #expect(machine.value.timerFired(now: .milliseconds(900)).close == .pingTimeout)
        #expect(machine.value.isClosed)
    }

    @Test func clientCloseAndClientPingEndTheSession() {
        var closing = polling()
        #expect(closing.received(.close, from: .activeTransport, now: .zero) == .close(.clientClosed))
        #expect(closing.received(.message("late"), from: .activeTransport, now: .zero) == .none)
        var pinging = polling()
        #expect(pinging.received(.ping(""), from: .activeTransport, now: .zero) == .close(.transportError))
    }

    @Test func upgradeThroughAProbe() {
        let machine = Box(polling())
        #expect(machine.value.probeRequested(now: .zero) == true)
        #expect(machine.value.probeRequested(now: .zero) == false, "one probe at a time")
        #expect(machine.value.received(.ping("probe"), from: .probe, now: .zero) == .acknowledgeProbe)
        #expect(machine.value.received(.upgrade, from: .probe, now: .zero) == .completeUpgrade(rejectParkedPoll: false))
        #expect(machine.value.transport == .webSocket)
        #expect(!machine.value.acceptsPostedData)
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .reject)
        #expect(machine.value.probeRequested(now: .zero) == false, "no second upgrade")
        #expect(machine.value.received(.message("x"), from: .activeTransport, now: .zero) == .deliver)
    }

    @Test func aPollParkedBeforeTheProbeGetsItsNoopAfterTheDelay() {
        let machine = Box(polling())
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .park)
        #expect(machine.value.probeRequested(now: .milliseconds(10)) == true)
        #expect(machine.value.received(.ping("probe"), from: .probe, now: .milliseconds(20)) == .acknowledgeProbe)
        #expect(machine.value.nextDeadline == .milliseconds(120))
        #expect(!machine.value.timerFired(now: .milliseconds(119)).answerParkedPollWithNoop)
        #expect(machine.value.timerFired(now: .milliseconds(120)).answerParkedPollWithNoop)
        #expect(!machine.value.isPollParked)
        #expect(
            machine.value.received(.upgrade, from: .probe, now: .milliseconds(130))
                == .completeUpgrade(rejectParkedPoll: false))
    }

    @Test func aPollRacingTheUpgradePacketIsRejected() {
        let machine = Box(polling())
        #expect(machine.value.probeRequested(now: .zero) == true)
        #expect(machine.value.received(.ping("probe"), from: .probe, now: .zero) == .acknowledgeProbe)
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .milliseconds(5)) == .park)
        #expect(
            machine.value.received(.upgrade, from: .probe, now: .milliseconds(6))
                == .completeUpgrade(rejectParkedPoll: true))
    }

    @Test func aWrongPacketOnTheProbeAbortsTheUpgrade() {
        let machine = Box(polling())
        #expect(machine.value.probeRequested(now: .zero) == true)
        #expect(machine.value.received(.message("early"), from: .probe, now: .zero) == .abortProbe)
        #expect(machine.value.transport == .polling)
        #expect(!machine.value.isProbing)
        #expect(machine.value.probeRequested(now: .zero) == true, "a new probe may try again")
        #expect(
            machine.value.received(.upgrade, from: .probe, now: .zero) == .abortProbe, "upgrade before the probe ping")
    }

    @Test func aProbeThatTakesTooLongIsAborted() {
        let machine = Box(polling())
        #expect(machine.value.probeRequested(now: .zero) == true)
        #expect(machine.value.nextDeadline == .milliseconds(300), "the ping comes first")
        _ = machine.value.timerFired(now: .milliseconds(300))
        _ = machine.value.received(.pong(""), from: .activeTransport, now: .milliseconds(301))
        var outcome = Machine.TimerOutcome()
        var now = Duration.milliseconds(301)
        while !outcome.abortProbe, now < .seconds(11) {
            now = machine.value.nextDeadline
            outcome = machine.value.timerFired(now: now)
            if outcome.sendPing { _ = machine.value.received(.pong(""), from: .activeTransport, now: now) }
        }
        #expect(outcome.abortProbe)
        #expect(now >= .seconds(10))
        #expect(!machine.value.isProbing)
    }

    @Test func aClosedProbeLeavesTheSessionOnPolling() {
        let machine = Box(polling())
        #expect(machine.value.probeRequested(now: .zero) == true)
        machine.value.probeClosed()
        #expect(!machine.value.isProbing)
        #expect(machine.value.transport == .polling)
    }

    @Test func serverCloseAnswersTheParkedPoll() {
        let machine = Box(polling())
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .park)
        #expect(machine.value.close(hasBufferedPackets: false, now: .zero) == .respondToParkedPoll)
        #expect(machine.value.isClosed)
        #expect(machine.value.close(hasBufferedPackets: false, now: .zero) == .none)
    }

    @Test func serverCloseWithBufferedDataDrainsOnTheNextPoll() {
        let machine = Box(polling())
        #expect(machine.value.close(hasBufferedPackets: true, now: .zero) == .drainThenClose)
        #expect(!machine.value.isClosed)
        #expect(machine.value.pollRequested(hasBufferedPackets: true, now: .zero) == .respondWithClose)
        #expect(machine.value.isClosed)
    }

    @Test func aDrainNobodyCollectsEndsAtTheCloseTimeout() {
        let machine = Box(polling())
        #expect(machine.value.close(hasBufferedPackets: true, now: .zero) == .drainThenClose)
        #expect(machine.value.nextDeadline == .seconds(1))
        #expect(machine.value.timerFired(now: .seconds(1)).close == .serverClosed)
        #expect(machine.value.isClosed)
    }

    @Test func serverCloseOfAWebSocketSessionClosesTheTransport() {
        let machine = Box(
            Machine(transport: .webSocket, pingInterval: .seconds(25), pingTimeout: .seconds(20), now: .zero))
        #expect(machine.value.probeRequested(now: .zero) == false)
        #expect(machine.value.close(hasBufferedPackets: false, now: .zero) == .closeTransport)
    }

    @Test func anAbortedParkedPollClosesTheSession() {
        let machine = Box(polling())
        #expect(machine.value.parkedPollAborted() == nil, "nothing parked")
        #expect(machine.value.pollRequested(hasBufferedPackets: false, now: .zero) == .park)
        #expect(machine.value.parkedPollAborted() == .transportClosed)
        #expect(machine.value.isClosed)
    }

    @Test func parseFailuresAndTransportFailuresCloseOnce() {
        let machine = Box(polling())
        #expect(machine.value.parseFailed() == .parseError)
        #expect(machine.value.parseFailed() == nil)
        #expect(machine.value.transportFailed(.transportClosed) == nil)
    }
}
