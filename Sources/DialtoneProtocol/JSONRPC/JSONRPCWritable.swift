import DialtoneJSON

/// A JSON-RPC 2.0 value that writes its own compact JSON text, members in the order
/// `jsonrpc`, `id`/`method`, `result`/`params`/`error`, without building an intermediate `JSON`.
public protocol JSONRPCWritable {
    /// Appends the JSON text of this message.
    func write(into bytes: inout [UInt8])
}

extension JSONRPCWritable {
    /// The JSON text of this message.
    public func serialized() -> String {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the JSON text of this message to any byte collection.
    public func write<Output: RangeReplaceableCollection<UInt8>>(into output: inout Output) {
        var bytes: [UInt8] = []
        write(into: &bytes)
        output.append(contentsOf: bytes)
    }
}

extension [UInt8] {
    /// Appends `"key":` (the key is a fixed ASCII name, so it needs no escaping).
    mutating func appendJSONRPCMember(_ key: StaticString, first: Bool = false) {
        if !first { append(UInt8(ascii: ",")) }
        append(UInt8(ascii: "\""))
        append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        append(contentsOf: "\":".utf8)
    }

    /// Opens a message object with its `"jsonrpc":"2.0"` member.
    mutating func appendJSONRPCHeader() {
        append(contentsOf: #"{"jsonrpc":"2.0""#.utf8)
    }
}
