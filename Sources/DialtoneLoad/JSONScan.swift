/// Finds members in compact JSON text without parsing it: the first `"key":` wherever it is
/// nested. Good enough for the server's own output, which is all the load tool reads.
enum JSONScan {
    static func contains(_ bytes: ArraySlice<UInt8>, _ needle: String) -> Bool {
        valueStart(of: needle, in: bytes) != nil
    }

    /// A string member's value, unescaped only for `\"` and `\\` (ids never hold others).
    static func string(named key: String, in bytes: ArraySlice<UInt8>) -> String? {
        guard var index = valueStart(of: "\"\(key)\"", in: bytes) else { return nil }
        index = skipColon(bytes, from: index)
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var value: [UInt8] = []
        while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.endIndex { index += 1 }
            value.append(bytes[index])
            index += 1
        }
        guard index < bytes.endIndex else { return nil }
        return String(decoding: value, as: UTF8.self)
    }

    /// An unsigned integer member's value.
    static func unsignedInteger(named key: String, in bytes: ArraySlice<UInt8>) -> UInt64? {
        guard var index = valueStart(of: "\"\(key)\"", in: bytes) else { return nil }
        index = skipColon(bytes, from: index)
        var value: UInt64 = 0
        var digits = 0
        while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = times &+ UInt64(bytes[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// The index just after the first occurrence of `needle`.
    private static func valueStart(of needle: String, in bytes: ArraySlice<UInt8>) -> Int? {
        let pattern = Array(needle.utf8)
        guard let range = bytes.firstRange(of: pattern) else { return nil }
        return range.upperBound
    }

    private static func skipColon(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: ":") {
            index += 1
        }
        return index
    }
}
