/// A user's identifier as the devices and the HTTP API spell it.
public typealias UserID = String

/// One connection of a device, allocated by the transports; never reused while the daemon runs.
public struct DeviceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "d\(rawValue)" }
}
