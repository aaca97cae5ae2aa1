import Benchmark
import DialtoneJSON
import DialtoneProtocol

/// The frames a phone sends most, as they arrive: an ICE candidate (the relay hot path), a call
/// offer, and the same request over `/ws` JSON-RPC.
enum Frames {
    static let iceCandidate =
        #"42["ice_candidate",{"callId":"c-7f3a9e2b","candidate":{"candidate":"candidate:842163049 1 udp 1677729535 198.51.100.23 50342 typ srflx raddr 10.0.0.5 rport 50342 generation 0 ufrag sXyZ network-id 1 network-cost 10","sdpMid":"0","sdpMLineIndex":0}}]"#
    static let offerPayload =
        #"{"to":"alice","media":"video","offer":{"type":"offer","sdp":"v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:sXyZ\r\na=ice-pwd:0123456789abcdefghijklmn\r\na=ice-options:trickle\r\na=fingerprint:sha-256 12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"},"metadata":{"displayName":"Bob"}}"#
    static let jsonRPCRequest =
        #"{"jsonrpc":"2.0","id":17,"method":"ice_candidate","params":{"callId":"c-7f3a9e2b","candidate":{"candidate":"candidate:842163049 1 udp 1677729535 198.51.100.23 50342 typ srflx raddr 10.0.0.5 rport 50342 generation 0 ufrag sXyZ network-id 1 network-cost 10","sdpMid":"0","sdpMLineIndex":0}}}"#
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    let iceText = Frames.iceCandidate
    let iceSocketIO = try! SocketIOPacket(text: iceText.dropFirst())
    let offerBytes = Array(Frames.offerPayload.utf8)
    let offer = try! JSON(parsing: offerBytes)
    let rpcBytes = Array(Frames.jsonRPCRequest.utf8)

    Benchmark("Engine.IO+Socket.IO decode ice_candidate") { benchmark in
        for _ in benchmark.scaledIterations {
            guard case .message(let message) = try EngineIOPacket(text: iceText) else {
                fatalError("not an Engine.IO message")
            }
            blackHole(try SocketIOPacket(text: message))
        }
    }

    Benchmark("Socket.IO encode ice_candidate") { benchmark in
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        for _ in benchmark.scaledIterations {
            bytes.removeAll(keepingCapacity: true)
            bytes.append(UInt8(ascii: "4"))
            iceSocketIO.encode(into: &bytes)
            blackHole(bytes)
        }
    }

    Benchmark("JSON parse offer") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try JSON(parsing: offerBytes))
        }
    }

    Benchmark("JSON serialize offer") { benchmark in
        var bytes: [UInt8] = []
        bytes.reserveCapacity(2048)
        for _ in benchmark.scaledIterations {
            bytes.removeAll(keepingCapacity: true)
            offer.write(into: &bytes)
            blackHole(bytes)
        }
    }

    Benchmark("JSON-RPC decode ice_candidate request") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(JSONRPCIncoming(parsing: rpcBytes))
        }
    }
}
