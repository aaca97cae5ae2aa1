import DialtoneJSON

/// An EVENT whose data is known to be well-formed JSON `["name", arguments...]`, kept as the text
/// it arrived in until its arguments are asked for.
public struct SocketIOEventPacket: Sendable, Hashable {
    /// `/` for the main namespace.
    public var namespace: String
    /// Present when the client asked for an answer.
    public var ackID: Int?
    public var name: String
    /// The JSON text of the data, `["name",arguments...]`: read members of it with
    /// ``SocketIOEventText``.
    public var dataText: Substring

    init(namespace: String, ackID: Int?, name: String, dataText: Substring) {
        self.namespace = namespace
        self.ackID = ackID
        self.name = name
        self.dataText = dataText
    }

    /// The arguments after the name, parsed from ``dataText`` on each call.
    public func arguments() -> ArraySlice<JSON> {
        // The text was checked on arrival, so it parses.
        guard let items = (try? JSON(parsing: dataText.utf8))?.arrayValue else { return [] }
        return items.dropFirst()
    }
}
