import CHeapStats
import DialtoneCore
import Metrics

/// Gauges of the current state, refreshed from the core's status whenever `/metrics` is scraped,
/// so no transition pays for them.
struct StatusGauges: Sendable {
    private let connectedUsers = Gauge(label: "dialtone_connected_users")
    private let connectedDevices = Gauge(label: "dialtone_connected_devices")
    private let ringingCalls = Gauge(label: "dialtone_calls", dimensions: [("state", "ringing")])
    private let activeCalls = Gauge(label: "dialtone_calls", dimensions: [("state", "active")])
    /// What malloc has handed out and not had back. Unlike the RSS it falls when memory is freed
    /// (glibc keeps freed pages mapped for reuse), so it shows whether the daemon lets go of what
    /// a crowd of connections or calls made it hold.
    private let heapInUse = Gauge(label: "dialtone_heap_in_use_bytes")

    func update(from status: CoreStatus) {
        connectedUsers.record(status.connectedUsers)
        connectedDevices.record(status.connectedDevices)
        ringingCalls.record(status.ringingCalls)
        activeCalls.record(status.activeCalls)
        heapInUse.record(dialtone_heap_in_use())
    }
}
