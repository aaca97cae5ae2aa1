/// A parser for journald's native protocol (systemd's JOURNAL_NATIVE_PROTOCOL): each field is
/// `NAME=value\n`, or for values containing a newline `NAME\n`, a 64-bit little-endian length,
/// the value's bytes and `\n`. Written from the protocol description, independently of libsystemd.
struct JournalNativeMessage {
    struct Field: Equatable {
        var name: String
        var value: [UInt8]
        /// Sent in the length-prefixed form.
        var isBinary: Bool
        var text: String { String(decoding: value, as: UTF8.self) }
    }

    let fields: [Field]

    /// Nil when the datagram breaks the protocol anywhere.
    init?(_ bytes: [UInt8]) {
        var fields: [Field] = []
        var index = 0
        while index < bytes.count {
            guard let end = bytes[index...].firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "\n") }) else {
                return nil
            }
            let name = String(decoding: bytes[index..<end], as: UTF8.self)
            if bytes[end] == UInt8(ascii: "=") {
                guard let lineEnd = bytes[end...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
                fields.append(Field(name: name, value: Array(bytes[(end + 1)..<lineEnd]), isBinary: false))
                index = lineEnd + 1
            } else {
                let lengthStart = end + 1
                guard lengthStart + 8 <= bytes.count else { return nil }
                let length = bytes[lengthStart..<(lengthStart + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let valueStart = lengthStart + 8
                guard length <= UInt64(bytes.count - valueStart - 1), bytes[valueStart + Int(length)] == UInt8(ascii: "\n") else {
                    return nil
                }
                fields.append(Field(name: name, value: Array(bytes[valueStart..<(valueStart + Int(length))]), isBinary: true))
                index = valueStart + Int(length) + 1
            }
        }
        self.fields = fields
    }

    /// Every value of the field `name` (journal fields may repeat).
    func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.text) }

    /// The single value of `name`, nil when absent or repeated.
    subscript(_ name: String) -> String? {
        let found = values(name)
        return found.count == 1 ? found[0] : nil
    }
}
