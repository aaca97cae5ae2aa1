import DialtoneJSON
import Testing

@testable import DialtoneLoad

@Suite struct LoadFiguresTests {
    @Test func histogramPercentilesMatchSioloadBuckets() {
        var histogram = LatencyHistogram()
        for value in 1...1000 { histogram.record(microseconds: UInt64(value)) }
        #expect(histogram.count == 1000)
        #expect(histogram.maximum == 1000)
        #expect(histogram.percentile(0.5) == 500)
        // 990 falls in [984, 992): 64 buckets over 512...1023 are 8 µs wide.
        #expect(histogram.percentile(0.99) == 984)
        #expect(histogram.mean == 500.5)
        #expect(LatencyHistogram().percentile(0.99) == 0)
        for value: UInt64 in [0, 127, 128, 129, 1 << 20, UInt64.max] {
            let bucket = LatencyHistogram.value(of: LatencyHistogram.index(of: value))
            #expect(bucket <= value)
        }
    }

    @Test func procParsing() {
        #expect(ProcessSampler.residentKilobytes(status: "Name:\tx\nVmRSS:\t   41236 kB\nThreads: 3\n") == 41236)
        #expect(ProcessSampler.residentKilobytes(status: "Name:\tx\n") == nil)
        let stat = "4242 (dial tone) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 37 0 0 20 0 3 0 100 1000 200"
        #expect(ProcessSampler.cpuTicks(stat: stat) == 187)
        #expect(ProcessSampler.cpuTicks(stat: "garbage") == nil)
        #expect(ProcessSampler(pid: Int32.max).residentKilobytes() == nil)
    }

    @Test func configurationProblems() {
        var settings = LoadConfiguration()
        #expect(settings.problem == nil)
        settings.host = "10.0.0.1"
        #expect(settings.problem?.contains("non-loopback") == true)
        settings.host = "localhost"
        #expect(settings.problem != nil)
        settings.host = "127.0.0.2"
        settings.window = 0
        #expect(settings.problem != nil)
        settings.window = 1
        settings.userPrefix = "a\"b"
        #expect(settings.problem != nil)
        settings.userPrefix = "ok"
        settings.mode = .idle
        settings.count = 25_000
        #expect(settings.problem == nil)
        #expect(settings.connections == 25_000 && settings.pairs == 0)
        #expect(settings.effectiveSourceAddresses == 3)
    }

    @Test func reportFiguresAndJSON() throws {
        var report = LoadReport(mode: .relay, connections: 20, pairs: 10, window: 4)
        report.measuredSeconds = 10
        report.measured = 250_000
        report.serverCPUPercent = 50
        report.latency.record(microseconds: 90)
        #expect(report.rate == 25_000)
        #expect(report.serverCPUMicrosecondsPerUnit == 20)
        guard case .object(let object) = report.json else {
            Issue.record("not an object")
            return
        }
        #expect(object["msgs_per_s"] == .number(JSONNumber(25_000.0)))
        #expect(object["p50_us"] == 90)
        #expect(object["srv_cpu_us_per_msg"] == .number(JSONNumber(20.0)))
        #expect(report.table.contains("25000"))

        var idle = LoadReport(mode: .idle, connections: 2, pairs: 0, window: 4)
        idle.aliveAtEnd = 2
        idle.serverRSSBeforeKB = 1000
        idle.serverRSSEndKB = 1010
        #expect(idle.bytesPerConnection == 5120)
        #expect(idle.json.serialized().contains(#""bytes_per_conn_end":5120"#))
        #expect(LoadReport.format(3.14159, 2) == "3.14")
        #expect(LoadReport.format(7, 1) == "7.0")
        #expect(LoadReport.format(0.5, 2) == "0.50")
        #expect(LoadReport.format(-0.25, 1) == "-0.3")
        #expect(LoadReport.format(1234.6, 0) == "1235")
    }

    @Test func framesCarryTheProtocolEvents() {
        let frames = SignalingFrames(candidateBytes: 20, sdpBytes: 10)
        #expect(frames.candidate.utf8.count == 20)
        #expect(frames.sdp.utf8.count == 10)
        #expect(frames.connect(userId: "L_1") == #"40{"userId":"L_1"}"#)
        #expect(frames.text(of: .call(ackID: 3), callee: "L_1").hasPrefix(#"423["call",{"to":"L_1","offer":{"type":"offer","sdp":""#))
        #expect(frames.text(of: .end(callId: #"a"b"#), callee: "x") == #"42["end_call",{"callId":"a\"b"}]"#)
        #expect(frames.text(of: .ice(callId: "c", sequence: 7, timestamp: 9), callee: "x").hasSuffix(#""sdpMLineIndex":0,"seq":7,"ts":9}}]"#))
        #expect(frames.text(of: .ice(callId: "c", sequence: nil, timestamp: 9), callee: "x").hasSuffix(#""sdpMLineIndex":0,"ts":9}}]"#))
        #expect(SignalingFrames.escaped("a\u{1}") == #"a\u0001"#)
    }
}
