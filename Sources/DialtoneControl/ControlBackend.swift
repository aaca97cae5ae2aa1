import DialtoneJSON
import Foundation
import Logging

/// What the control methods need from the daemon's state owner.
///
/// Calls are synchronous and must return quickly, except the two that do I/O (saving the
/// history, rereading the configuration) and ``historyLoaded()``, which may suspend. The control server makes them
/// from its own tasks, never from a device connection's event loop. Results are JSON shaped as the method
/// table's result schemas describe (call records as in contract §1). A method fails by
/// throwing a ``ControlError``; any other error is answered as a JSON-RPC internal error.
public protocol ControlBackend: Sendable {
    /// The same object as `GET /status`.
    func status() throws -> JSON
    /// Live calls, optionally only those in one state: history records with `status` set.
    func listCalls(state: ControlCallState?) throws -> [JSON]
    /// A live call, or else an ended one from the history; ``ControlError/callNotFound(_:)``.
    func call(id: String) throws -> JSON
    /// Ends a live call by exact id with `endReason` `admin` (a prefix given by the operator has
    /// already been resolved against ``listCalls(state:)``). `note` is the operator's free-text
    /// reason, for logs and for devices. Returns `{callId, endReason, duration}`.
    func endCall(id: String, note: String?) throws -> JSON
    /// Connected users: `{userId, devices, calls}` each.
    func listUsers() throws -> [JSON]
    /// Closes every device of a user; returns `{userId, devices}` (devices closed).
    func disconnectUser(id: String) throws -> JSON
    /// Sends a server event to every device of a user; returns `{userId, event, delivered}`.
    func notifyUser(id: String, event: String, data: JSON) throws -> JSON
    /// History records, newest first.
    func listHistory(_ query: ControlHistoryQuery) throws -> [JSON]
    /// Totals over the history, optionally from a time on.
    func historyStats(since: Date?) throws -> JSON
    /// Writes the history file now; returns `{saved, path, calls}`.
    func saveHistory() async throws -> JSON
    /// Changes the daemon's log level; returns `{level, previous}`.
    func setLogLevel(_ level: Logger.Level) throws -> JSON
    /// Rereads the configuration as on SIGHUP; returns `{reloaded, changed}`.
    func reloadConfig() async throws -> JSON
    /// Returns once the history is complete: a daemon serves while it still reads its history
    /// file, and the methods that answer from the history (`status`, `calls.get`, `history.list`,
    /// `history.stats`) wait for it. The default returns at once.
    func historyLoaded() async
    /// Delivers every call and presence event to `sink` until cancelled. `sink` returns at
    /// once and may be called from any thread.
    func subscribeEvents(_ sink: @escaping @Sendable (ControlEvent) -> Void) -> ControlEventCancellation
}

extension ControlBackend {
    public func historyLoaded() async {}
}
