import DialtoneJSON
import DialtoneProtocol
import NIOCore

/// An event a client emitted.
public struct SocketIOEvent: Sendable {
    public var name: String
    /// The arguments after the name. Binary arguments appear as `{"_placeholder":true,"num":N}`;
    /// ``values()`` puts the bytes in their place. An event received as text is parsed on each
    /// read: a handler that needs only some members reads them from ``text`` instead.
    public var arguments: ArraySlice<JSON> {
        get { parsedArguments ?? packet?.arguments() ?? [] }
        set { parsedArguments = newValue }
    }
    private var parsedArguments: ArraySlice<JSON>?
    /// The event as received, arguments unparsed.
    private var packet: SocketIOEventPacket?
    /// The binary attachments, in placeholder order.
    public var attachments: [[UInt8]]
    /// Present when the client asked for an answer.
    public var ack: SocketIOAck?
    /// The JSON text `["name",arguments...]` the event arrived as, for passing parts of it on
    /// verbatim (see ``SocketIOEventText``); `nil` for an event with binary attachments.
    public var text: Substring?

    public init(
        name: String, arguments: ArraySlice<JSON>, attachments: [[UInt8]] = [], ack: SocketIOAck? = nil,
        text: Substring? = nil
    ) {
        self.name = name
        self.parsedArguments = arguments
        self.attachments = attachments
        self.ack = ack
        self.text = text
    }

    /// An event received without attachments, its arguments parsed only when read.
    init(_ packet: SocketIOEventPacket, ack: SocketIOAck?) {
        self.name = packet.name
        self.packet = packet
        self.attachments = []
        self.ack = ack
        self.text = packet.dataText
    }

    /// The arguments with binary data in place of the placeholders.
    public func values() throws(SocketIOError) -> [SocketIOValue] {
        var values: [SocketIOValue] = []
        values.reserveCapacity(arguments.count)
        for argument in arguments {
            values.append(try SocketIOValue.reconstruct(argument, attachments: attachments))
        }
        return values
    }
}

/// The answer callback of an event. Call it once; later calls are sent too but clients ignore
/// them. Usable from any thread.
public struct SocketIOAck: Sendable {
    let client: SocketIOClient
    let namespace: String
    let id: Int

    /// Answers with JSON arguments.
    public func callAsFunction(_ arguments: [JSON]) {
        client.send(SocketIOPacket.ack(id, arguments, namespace: namespace), attachments: [])
    }

    /// Answers with arguments that may contain binary data.
    public func send(values: [SocketIOValue]) {
        var attachments: [[UInt8]] = []
        let arguments = values.map { $0.deconstruct(attachments: &attachments) }
        client.send(
            SocketIOPacket.ack(id, arguments, namespace: namespace, attachmentCount: attachments.count),
            attachments: attachments)
    }
}
