import Synchronization

/// Wakes everyone waiting for a server to stop, once. Unlike an `EventLoopPromise`, a server that is
/// dropped without ever being started or stopped (its startup failed elsewhere) leaves nothing
/// unfulfilled behind: NIO traps on a leaked promise in debug builds.
final class StopSignal: Sendable {
    private struct State {
        var signalled = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.signalled else { return [] }
            state.signalled = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let alreadySignalled = state.withLock { state in
                if !state.signalled { state.waiters.append(continuation) }
                return state.signalled
            }
            if alreadySignalled { continuation.resume() }
        }
    }
}
