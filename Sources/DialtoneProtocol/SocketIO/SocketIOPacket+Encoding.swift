import DialtoneJSON

extension SocketIOPacket {
    /// Appends the packet's text to `bytes`: pass a buffer that already holds the Engine.IO
    /// `4` to get a complete frame in one pass.
    public func encode(into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "0") + type.rawValue)
        if type.isBinary {
            bytes.append(contentsOf: String(attachmentCount).utf8)
            bytes.append(UInt8(ascii: "-"))
        }
        if namespace != "/" {
            bytes.append(contentsOf: namespace.utf8)
            bytes.append(UInt8(ascii: ","))
        }
        if let ackID { bytes.append(contentsOf: String(ackID).utf8) }
        data?.write(into: &bytes)
    }

    /// The packet's text.
    public var encodedText: String {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
