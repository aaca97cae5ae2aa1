import DialtoneJSON

extension SignalingCore {
    /// The control interface's `users.disconnect`: closes every connection of the user. The
    /// transports report each `disconnect` afterwards, which starts the usual reconnect grace.
    /// Reply `{ok, userId, devices}`; `user_offline` when the user has no device.
    public func disconnectUser(_ userId: UserID) -> Outcome {
        let devices = registry.devices(of: userId)
        guard !devices.isEmpty else { return .failure(.userOffline("users.disconnect: \(quoted(userId)) is not connected")) }
        return Outcome(
            reply: .success(["ok": true, "userId": .string(userId), "devices": .number(JSONNumber(devices.count))]),
            actions: devices.map { .close($0, reason: "disconnected by the administrator") })
    }

    /// The control interface's `users.notify`: sends `event` with `data` to every device of the
    /// user. Reply `{ok, delivered}`; `user_offline` when the user has no device, `bad_request` for
    /// an empty event name.
    public func notify(_ userId: UserID, event: String, data: JSON) -> Outcome {
        guard !event.isEmpty else { return .failure(.badRequest("users.notify: \"event\" must not be empty")) }
        let devices = registry.devices(of: userId)
        guard !devices.isEmpty else { return .failure(.userOffline("users.notify: \(quoted(userId)) is not connected")) }
        return Outcome(
            reply: .success(["ok": true, "delivered": .number(JSONNumber(devices.count))]),
            actions: devices.map { .send($0, event: event, payload: data) })
    }
}
