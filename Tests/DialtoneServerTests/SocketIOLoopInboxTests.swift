import Dispatch
import DialtoneJSON
import Testing

@testable import DialtoneServer

extension SocketIOServerTests {
    @Test func framesFromOtherLoopsArriveInOrder() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let client = try await open(port, query: "&token=secret")
            try await client.sendText("40")
            _ = try await client.readFrame()
            let socket = try await connected(recorder)
            await Task.detached { for n in 0..<100 { socket.emit("n", [.number(JSONNumber(n))]) } }.value
            for n in 0..<100 { #expect(try await client.readMessage().text == #"42["n",\#(n)]"#) }
            await client.close()
        }
    }

    @Test func aClientOwedTooManyFramesByOtherLoopsIsClosed() async throws {
        let recorder = Recorder<Event>()
        let (router, _) = router(recorder)
        try await withServer(router) { port, _ in
            let client = try await open(port, query: "&token=secret")
            try await client.sendText("40")
            _ = try await client.readFrame()
            let socket = try await connected(recorder)
            // The client's loop is held up while other threads send to it: its inbox fills.
            let release = DispatchSemaphore(value: 0)
            socket.eventLoop.execute { release.wait() }
            await Task.detached {
                for n in 0...SocketIOLoopInbox.maxQueuedPerClient + 10 { socket.emit("flood", [.number(JSONNumber(n))]) }
            }.value
            release.signal()
            try await client.waitForClose()
            _ = try await recorder.first {
                if case .disconnected(let left, _) = $0 { left == socket } else { false }
            }
        }
    }
}
