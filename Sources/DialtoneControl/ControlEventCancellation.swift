/// Returned by ``ControlBackend/subscribeEvents(_:)``; stops the deliveries when cancelled.
public struct ControlEventCancellation: Sendable {
    private let action: @Sendable () -> Void

    public init(_ action: @escaping @Sendable () -> Void) {
        self.action = action
    }

    public func cancel() { action() }
}
