/// The Engine.IO text messages the load tool sends, with the event names and payloads of
/// docs/protocol.md, byte for byte what sioload sends so that both tools load a server alike.
public struct SignalingFrames: Sendable {
    /// The `candidate` string of every ICE candidate.
    public let candidate: String
    /// The `sdp` of every offer and answer.
    public let sdp: String

    public init(candidateBytes: Int, sdpBytes: Int) {
        candidate = Self.repeating(
            "candidate:842163049 1 udp 1677729535 198.51.100.23 50342 typ srflx raddr 10.0.0.5 "
                + "rport 50342 generation 0 ufrag sXyZ network-id 1 network-cost 10 ", to: candidateBytes)
        sdp = Self.repeating(
            "v=0 o=- 4611731400430051336 2 IN IP4 127.0.0.1 s=- t=0 0 a=group:BUNDLE 0 "
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 c=IN IP4 0.0.0.0 a=rtpmap:111 opus/48000/2 ", to: sdpBytes)
    }

    /// Socket.IO CONNECT to `/` with the auth payload that registers `userId` at once.
    public func connect(userId: String) -> String { #"40{"userId":"\#(userId)"}"# }

    /// The PONG answering a PING that carried `data`.
    public func pong(_ data: [UInt8]) -> [UInt8] { [UInt8(ascii: "3")] + data }

    public func text(of message: LoadPair.Outgoing, callee: String) -> String {
        switch message {
        case .call(let ackID):
            #"42\#(ackID)["call",{"to":"\#(callee)","offer":{"type":"offer","sdp":"\#(sdp)"}}]"#
        case .accept(let callId):
            #"42["accept_call",{"callId":"\#(Self.escaped(callId))","answer":{"type":"answer","sdp":"\#(sdp)"}}]"#
        case .ice(let callId, let sequence, let timestamp):
            icePrefix(callId: callId, sequence: sequence) + "\(timestamp)}}]"
        case .end(let callId):
            #"42["end_call",{"callId":"\#(Self.escaped(callId))"}]"#
        }
    }

    /// An `ice_candidate` message up to its `ts` value, which the sender appends with `}}]`.
    public func icePrefix(callId: String, sequence: UInt64?) -> String {
        #"42["ice_candidate",{"callId":"\#(Self.escaped(callId))","candidate":{"candidate":"\#(candidate)","sdpMid":"0","sdpMLineIndex":0,"#
            + (sequence.map { #""seq":\#($0),"# } ?? "") + #""ts":"#
    }

    private static func repeating(_ pattern: String, to length: Int) -> String {
        String(String(repeating: pattern, count: length / pattern.count + 1).prefix(length))
    }

    /// Call ids come from the server; quote them safely whatever they hold.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else {
            return text
        }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
