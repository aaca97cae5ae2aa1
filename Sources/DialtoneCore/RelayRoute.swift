/// Where one relayed message goes: all a relay needs from the core, with nothing built for the
/// message itself, which the transport writes around the sender's bytes.
public struct RelayRoute: Sendable, Equatable {
    /// The sender, named as `from` in what the recipients get.
    public var from: UserID
    /// The recipients' call devices (or, while a participant rings, all of its devices).
    public var recipients: [DeviceID]

    public init(from: UserID, recipients: [DeviceID]) {
        self.from = from
        self.recipients = recipients
    }
}
