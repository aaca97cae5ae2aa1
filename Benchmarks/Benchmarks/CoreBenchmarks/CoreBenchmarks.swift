import Benchmark
import DialtoneCore
import DialtoneJSON

/// Decodes a request outside the measured loop, so that only the core's transition is timed.
func request(_ event: String, _ payload: JSON) -> DeviceRequest {
    try! DeviceRequest(event: event, payload: payload)
}

let caller = DeviceID(1)
let callee = DeviceID(2)
let candidate: JSON = [
    "candidate": "candidate:842163049 1 udp 1677729535 198.51.100.23 50342 typ srflx raddr 10.0.0.5 rport 50342",
    "sdpMid": "0", "sdpMLineIndex": 0,
]
let offer: JSON = ["type": "offer", "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"]
let answer: JSON = ["type": "answer", "sdp": "v=0\r\no=- 7021855043325146532 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"]

/// A core with two registered devices, `alice` on `caller` and `bob` on `callee`, and a small
/// history so that the call benchmark reaches a steady state instead of growing it.
func twoUsers() -> SignalingCore {
    var core = SignalingCore(configuration: .init(historyLimit: 1_000), now: Timestamp(milliseconds: 0))
    _ = core.connect(caller, identity: .claimed("alice"), now: Timestamp(milliseconds: 0))
    _ = core.connect(callee, identity: .claimed("bob"), now: Timestamp(milliseconds: 0))
    return core
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    Benchmark("register (connect + register + disconnect)") { benchmark in
        var core = SignalingCore(now: Timestamp(milliseconds: 0))
        let register = request("register", ["userId": "alice"])
        let now = Timestamp(milliseconds: 0)
        for _ in benchmark.scaledIterations {
            _ = core.connect(caller, identity: .anonymous, now: now)
            blackHole(core.handle(register, from: caller, now: now))
            _ = core.disconnect(caller, now: now)
        }
    }

    Benchmark("call + accept + end") { benchmark in
        var core = twoUsers()
        var serial = 0
        let now = Timestamp(milliseconds: 0)
        for _ in benchmark.scaledIterations {
            serial += 1
            let callId = "bench-\(serial)"
            let call = DeviceRequest.call(to: ["bob"], callId: callId, offer: offer, media: .audio, metadata: nil)
            blackHole(core.handle(call, from: caller, now: now))
            blackHole(core.handle(.acceptCall(callId: callId, answer: answer), from: callee, now: now))
            blackHole(core.handle(.endCall(callId: callId), from: caller, now: now))
        }
    }

    Benchmark("relay ice_candidate") { benchmark in
        var core = twoUsers()
        let now = Timestamp(milliseconds: 0)
        _ = core.handle(request("call", ["to": "bob", "callId": "bench-relay", "offer": offer]), from: caller, now: now)
        _ = core.handle(request("accept_call", ["callId": "bench-relay", "answer": answer]), from: callee, now: now)
        let relay = request("ice_candidate", ["callId": "bench-relay", "candidate": candidate])
        for _ in benchmark.scaledIterations {
            blackHole(core.handle(relay, from: caller, now: now))
        }
    }
}
