import DialtoneJSON

extension SocketIOPacket {
    /// Parses the text of an Engine.IO message, checking that the data fits the packet type as
    /// the reference implementation does.
    public init(text: Substring) throws(SocketIOError) {
        try self.init(try Envelope(text))
    }

    init(_ envelope: Envelope) throws(SocketIOError) {
        var data: JSON?
        if !envelope.dataText.isEmpty {
            data = try Self.parseJSON(envelope.dataText)
        }
        guard Self.isValid(type: envelope.type, data: data, ackID: envelope.ackID) else { throw .invalidPayload }
        self.init(
            type: envelope.type, namespace: envelope.namespace, ackID: envelope.ackID, data: data,
            attachmentCount: envelope.attachmentCount)
    }

    /// Everything before the data, and the data's text, unchecked.
    struct Envelope {
        var type: PacketType
        var attachmentCount = 0
        var namespace = "/"
        var ackID: Int?
        var dataText: Substring

        init(_ text: Substring) throws(SocketIOError) {
            let utf8 = text.utf8
            var index = utf8.startIndex
            guard index < utf8.endIndex else { throw .emptyPacket }
            let typeByte = utf8[index]
            guard typeByte >= UInt8(ascii: "0"), let type = PacketType(rawValue: typeByte &- UInt8(ascii: "0")) else {
                throw .unknownPacketType
            }
            self.type = type
            index = utf8.index(after: index)

            if type.isBinary {
                let digitsStart = index
                guard let count = SocketIOPacket.readNumber(utf8, &index, limit: SocketIOPacket.maxAttachments),
                    index < utf8.endIndex, utf8[index] == UInt8(ascii: "-"), index > digitsStart
                else { throw .invalidAttachmentCount }
                attachmentCount = count
                index = utf8.index(after: index)
            }

            if index < utf8.endIndex, utf8[index] == UInt8(ascii: "/") {
                let end = utf8[index...].firstIndex(of: UInt8(ascii: ",")) ?? utf8.endIndex
                namespace = String(Substring(utf8[index..<end]))
                index = end < utf8.endIndex ? utf8.index(after: end) : end
            }

            if index < utf8.endIndex, SocketIOPacket.isDigit(utf8[index]) {
                guard let id = SocketIOPacket.readNumber(utf8, &index, limit: Int(Int32.max)) else {
                    throw .invalidAckID
                }
                ackID = id
            }
            dataText = Substring(utf8[index...])
        }
    }

    public init(text: String) throws(SocketIOError) {
        try self.init(text: text[...])
    }

    fileprivate static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Reads decimal digits; `nil` when the number exceeds `limit`.
    fileprivate static func readNumber(_ utf8: Substring.UTF8View, _ index: inout Substring.UTF8View.Index, limit: Int)
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

    /// Checks `text` as ``parseJSON(_:)`` would parse it.
    static func validateJSON(_ text: Substring) throws(SocketIOError) {
        do {
            if try text.utf8.withContiguousStorageIfAvailable({ try JSON.validate(UnsafeRawBufferPointer($0)) }) == nil {
                try Array(text.utf8).withUnsafeBytes { try JSON.validate($0) }
            }
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
