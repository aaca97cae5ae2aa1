import DialtoneJSON

extension SocketIOPacket {
    /// Parses the text of an Engine.IO message, checking that the data fits the packet type as
    /// the reference implementation does.
    public init(text: Substring) throws(SocketIOError) {
        self = try Self.parse(text).packet
    }

    /// Parses like ``init(text:)-(Substring)`` and also returns the JSON text of the data (empty
    /// when there is none), for passing parts of it on verbatim.
    public static func parse(_ text: Substring) throws(SocketIOError) -> (packet: SocketIOPacket, dataText: Substring) {
        let utf8 = text.utf8
        var index = utf8.startIndex
        guard index < utf8.endIndex else { throw .emptyPacket }
        let typeByte = utf8[index]
        guard typeByte >= UInt8(ascii: "0"), let type = PacketType(rawValue: typeByte &- UInt8(ascii: "0")) else {
            throw .unknownPacketType
        }
        index = utf8.index(after: index)

        var attachmentCount = 0
        if type.isBinary {
            let digitsStart = index
            guard let count = Self.readNumber(utf8, &index, limit: Self.maxAttachments),
                index < utf8.endIndex, utf8[index] == UInt8(ascii: "-"), index > digitsStart
            else { throw .invalidAttachmentCount }
            attachmentCount = count
            index = utf8.index(after: index)
        }

        var namespace = "/"
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "/") {
            let end = utf8[index...].firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
            namespace = String(Substring(utf8[index..<end]))
            index = end < utf8.endIndex ? utf8.index(after: end) : end
        }

        var ackID: Int?
        if index < utf8.endIndex, Self.isDigit(utf8[index]) {
            guard let id = Self.readNumber(utf8, &index, limit: Int(Int32.max)) else { throw .invalidAckID }
            ackID = id
        }

        var data: JSON?
        let dataText = Substring(utf8[index...])
        if !dataText.isEmpty {
            data = try Self.parseJSON(dataText)
        }

        guard Self.isValid(type: type, data: data, ackID: ackID) else { throw .invalidPayload }
        let packet = SocketIOPacket(
            type: type, namespace: namespace, ackID: ackID, data: data, attachmentCount: attachmentCount)
        return (packet, dataText)
    }

    public init(text: String) throws(SocketIOError) {
        try self.init(text: text[...])
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Reads decimal digits; `nil` when the number exceeds `limit`.
    private static func readNumber(_ utf8: Substring.UTF8View, _ index: inout Substring.UTF8View.Index, limit: Int)
        -> Int?
    {
        var value = 0
        while index < utf8.endIndex, isDigit(utf8[index]) {
            value = value * 10 + Int(utf8[index] - UInt8(ascii: "0"))
            guard value <= limit else { return nil }
            index = utf8.index(after: index)
        }
        return value
    }

    private static func parseJSON(_ text: Substring) throws(SocketIOError) -> JSON {
        do {
            if let json = try text.utf8.withContiguousStorageIfAvailable({
                try JSON(parsing: UnsafeRawBufferPointer($0))
            }) {
                return json
            }
            return try JSON(parsing: Array(text.utf8))
        } catch let error as JSONError {
            throw .invalidJSON(error.description)
        } catch {
            throw .invalidJSON("\(error)")
        }
    }

    private static func isValid(type: PacketType, data: JSON?, ackID: Int?) -> Bool {
        switch type {
        case .connect:
            guard let data else { return true }
            return data.objectValue != nil
        case .disconnect:
            return data == nil
        case .connectError:
            return data?.objectValue != nil || data?.stringValue != nil
        case .event, .binaryEvent:
            guard case .array(let items)? = data, case .string? = items.first else { return false }
            return true
        case .ack, .binaryAck:
            return ackID != nil && data?.arrayValue != nil
        }
    }
}
