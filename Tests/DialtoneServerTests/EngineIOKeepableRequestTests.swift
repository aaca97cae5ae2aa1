import NIOHTTP1
import Testing

@testable import DialtoneServer

@Suite("Engine.IO handshake request kept by applications")
struct EngineIOKeepableRequestTests {
    @Test func keepsEveryHeaderAndTheQueryInOrder() {
        let head = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: "/socket.io/?EIO=4&transport=websocket&token=a%20b",
            headers: HTTPHeaders([("Host", "example"), ("Cookie", "a=1"), ("cookie", "b=2"), ("User-Agent", "test")]))
        let request = HTTPRequest(head: head)
        let kept = EngineIOSession.keepable(request)
        #expect(kept.headers == request.headers)
        #expect(kept.headers.map { $0.name } == ["Host", "Cookie", "cookie", "User-Agent"])
        #expect(kept.headers["cookie"] == ["a=1", "b=2"])
        #expect(kept.query == request.query)
        #expect(kept.query["token"] == "a b")
        #expect(kept.path == "/socket.io/")
    }
}
