import NIOCore

/// Answers one request, once, from any thread: a long-poll may be answered from another
/// connection's event loop, seconds later.
struct HTTPResponder: Sendable {
    let connection: NIOLoopBound<HTTPConnectionHandler>
    let number: Int

    var eventLoop: any EventLoop { connection.eventLoop }

    func respond(_ response: HTTPResponse) {
        let connection = self.connection
        let number = self.number
        if connection.eventLoop.inEventLoop {
            connection.value.write(response, number: number)
        } else {
            connection.eventLoop.execute { connection.value.write(response, number: number) }
        }
    }

    /// Runs `action` (on the connection's event loop) if the connection closes before the
    /// response is written, or at once if it already has.
    func onAbort(_ action: @escaping @Sendable () -> Void) {
        let connection = self.connection
        let number = self.number
        if connection.eventLoop.inEventLoop {
            connection.value.onAbort(of: number, action)
        } else {
            connection.eventLoop.execute { connection.value.onAbort(of: number, action) }
        }
    }
}
