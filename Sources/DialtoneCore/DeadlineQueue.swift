/// A min-heap of (time, call id): when each call next has timed work. Entries are not removed
/// when a deadline is cancelled; the core skips entries that no longer match its calls.
struct DeadlineQueue: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        let time: Timestamp
        let callId: String
    }

    private var heap: [Entry] = []

    var first: Entry? { heap.first }

    mutating func insert(_ time: Timestamp, callId: String) {
        heap.append(Entry(time: time, callId: callId))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].time < heap[parent].time else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func removeFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let removed = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].time < heap[smallest].time { smallest = left }
            if right < heap.count, heap[right].time < heap[smallest].time { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return removed
    }
}
