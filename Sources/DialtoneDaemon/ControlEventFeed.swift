import DialtoneControl
import DialtoneCore
import Foundation
import Synchronization

/// Hands the hub's observations to the control interface's `events.subscribe` streams. Made
/// before the hub (which reports into it) and read by the control backend.
final class ControlEventFeed: Sendable {
    private struct Subscribers {
        var sinks: [Int: @Sendable (ControlEvent) -> Void] = [:]
        var lastKey = 0
    }

    private let subscribers = Mutex(Subscribers())

    /// Each sink returns at once (the control server buffers per subscriber), so this is cheap
    /// enough to run after every transition; with no subscriber it is one lock and nothing else.
    func publish(_ observations: [Observation], at time: Timestamp) {
        let sinks = subscribers.withLock { Array($0.sinks.values) }
        guard !sinks.isEmpty else { return }
        let date = Date(timeIntervalSince1970: Double(time.milliseconds) / 1000)
        for observation in observations {
            var fields = observation.toJSON()
            fields["type"] = nil
            let event = ControlEvent(type: observation.type, time: date, fields: fields)
            for sink in sinks { sink(event) }
        }
    }

    func subscribe(_ sink: @escaping @Sendable (ControlEvent) -> Void) -> ControlEventCancellation {
        let key = subscribers.withLock { subscribers in
            subscribers.lastKey += 1
            subscribers.sinks[subscribers.lastKey] = sink
            return subscribers.lastKey
        }
        return ControlEventCancellation { [weak self] in
            _ = self?.subscribers.withLock { $0.sinks.removeValue(forKey: key) }
        }
    }
}
