import DialtoneProtocol
import Testing

@Suite("Engine.IO heartbeat")
struct EngineIOHeartbeatTests {
    let interval = Duration.milliseconds(300)
    let timeout = Duration.milliseconds(200)

    @Test func pingsAfterEachIntervalWhileAnswered() {
        var heartbeat = EngineIOHeartbeat(pingInterval: interval, pingTimeout: timeout, now: .zero)
        #expect(heartbeat.nextDeadline == .milliseconds(300))
        #expect(heartbeat.timerFired(now: .milliseconds(299)) == .none)
        #expect(heartbeat.timerFired(now: .milliseconds(300)) == .sendPing)
        #expect(heartbeat.isAwaitingPong)
        #expect(heartbeat.nextDeadline == .milliseconds(500))
        heartbeat.pongReceived(now: .milliseconds(350))
        #expect(!heartbeat.isAwaitingPong)
        #expect(heartbeat.nextDeadline == .milliseconds(650))
        #expect(heartbeat.timerFired(now: .milliseconds(650)) == .sendPing)
    }

    @Test func timesOutWithoutPong() {
        var heartbeat = EngineIOHeartbeat(pingInterval: interval, pingTimeout: timeout, now: .seconds(10))
        #expect(heartbeat.timerFired(now: .milliseconds(10_300)) == .sendPing)
        #expect(heartbeat.timerFired(now: .milliseconds(10_499)) == .none)
        #expect(heartbeat.timerFired(now: .milliseconds(10_500)) == .timedOut)
    }

    @Test func aLateTimerDoesNotExtendTheTimeout() {
        var heartbeat = EngineIOHeartbeat(pingInterval: interval, pingTimeout: timeout, now: .zero)
        #expect(heartbeat.timerFired(now: .milliseconds(320)) == .sendPing)
        #expect(heartbeat.nextDeadline == .milliseconds(500))
    }

    @Test func anUnsolicitedPongDoesNotPostponeThePing() {
        var heartbeat = EngineIOHeartbeat(pingInterval: interval, pingTimeout: timeout, now: .zero)
        heartbeat.pongReceived(now: .milliseconds(250))
        #expect(heartbeat.nextDeadline == .milliseconds(300))
    }
}
