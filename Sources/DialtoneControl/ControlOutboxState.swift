/// What one control connection has to send, in order: answers to its requests first, then
/// events. Answers are never dropped (the connection reads no further request until its answer
/// is written, which bounds them). Events wait in a bounded buffer; when it is full, new events
/// are dropped and counted, and once the buffer has room again the subscriber gets one `lagged`
/// notification with the count before any newer event.
struct ControlOutboxState<Response> {
    /// One thing to write.
    enum Item {
        case response(Response)
        case event(ControlEvent)
        case lagged(dropped: Int)
    }

    private enum Pending {
        case event(ControlEvent)
        case lagged(Int)
    }

    let eventCapacity: Int
    private var responses: [Response] = []
    private var pendingEvents: [Pending] = []
    private var queuedEvents = 0
    private(set) var dropped = 0
    private(set) var filter: ControlEventFilter?
    private(set) var isClosed = false

    init(eventCapacity: Int) {
        precondition(eventCapacity > 0, "an event buffer needs room for at least one event")
        self.eventCapacity = eventCapacity
    }

    /// Queues an answer and applies the subscription the request left, in one step, so that
    /// a subscriber sees the answer to `events.subscribe` before its first event and no event
    /// after the answer to `events.unsubscribe`. A notification has no answer but may still
    /// change the subscription. Returns false when closed.
    mutating func enqueue(_ response: Response?, subscription: ControlEventFilter?) -> Bool {
        guard !isClosed else { return false }
        if let response { responses.append(response) }
        if filter != subscription {
            if subscription == nil {
                pendingEvents.removeAll()
                queuedEvents = 0
                dropped = 0
            }
            filter = subscription
        }
        return true
    }

    /// Takes an event the subscriber wants, or counts it as dropped when the buffer is full.
    /// Returns whether the writer has something new to do.
    mutating func offer(_ event: ControlEvent) -> Bool {
        guard !isClosed, let filter, filter.admits(event.type) else { return false }
        guard queuedEvents < eventCapacity else {
            dropped += 1
            return false
        }
        if dropped > 0 {
            pendingEvents.append(.lagged(dropped))
            dropped = 0
        }
        pendingEvents.append(.event(event))
        queuedEvents += 1
        return true
    }

    /// The next thing to write: answers before events; a lag is reported as soon as the
    /// buffer has drained even if no newer event has come.
    mutating func next() -> Item? {
        guard !isClosed else { return nil }
        if !responses.isEmpty { return .response(responses.removeFirst()) }
        if !pendingEvents.isEmpty {
            switch pendingEvents.removeFirst() {
            case .event(let event):
                queuedEvents -= 1
                return .event(event)
            case .lagged(let count):
                return .lagged(dropped: count)
            }
        }
        if dropped > 0 {
            defer { dropped = 0 }
            return .lagged(dropped: dropped)
        }
        return nil
    }

    /// Stops everything; returns the answers never written, so their waiters can be released.
    mutating func close() -> [Response] {
        isClosed = true
        defer {
            responses.removeAll()
            pendingEvents.removeAll()
        }
        return responses
    }
}
