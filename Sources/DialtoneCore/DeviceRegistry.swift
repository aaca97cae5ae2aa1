/// Which devices are connected and which user each one registered as.
struct DeviceRegistry: Equatable, Sendable {
    struct Device: Equatable, Sendable {
        let identity: Identity
        var userId: UserID?
    }

    private(set) var devices: [DeviceID: Device] = [:]
    /// Registration order, so fan-out and listings are deterministic.
    private(set) var devicesByUser: [UserID: [DeviceID]] = [:]

    func device(_ device: DeviceID) -> Device? { devices[device] }

    func user(of device: DeviceID) -> UserID? { devices[device]?.userId }

    func devices(of userId: UserID) -> [DeviceID] { devicesByUser[userId] ?? [] }

    mutating func add(_ device: DeviceID, identity: Identity) {
        devices[device] = Device(identity: identity, userId: nil)
    }

    /// Registers a connected, not yet registered device.
    mutating func bind(_ device: DeviceID, to userId: UserID) {
        devices[device]?.userId = userId
        devicesByUser[userId, default: []].append(device)
    }

    mutating func remove(_ device: DeviceID) -> Device? {
        guard let removed = devices.removeValue(forKey: device) else { return nil }
        if let userId = removed.userId {
            devicesByUser[userId]?.removeAll { $0 == device }
            if devicesByUser[userId]?.isEmpty == true { devicesByUser[userId] = nil }
        }
        return removed
    }
}
