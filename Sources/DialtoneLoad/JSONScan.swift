/// Finds members in compact JSON text without parsing it: the first `"key":` wherever it is
/// nested. Good enough for the server's own output, which is all the load tool reads.
enum JSONScan {
    static let callId = Array(#""callId""#.utf8)
    static let ts = Array(#""ts""#.utf8)
    static let okTrue = Array(#""ok":true"#.utf8)

    static func contains(_ bytes: ArraySlice<UInt8>, _ pattern: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { ByteSearch.firstOffset(of: pattern, in: $0) } != nil
    }

    /// The string value of the member whose quoted key is `key`, unescaped only for `\"` and
    /// `\\` (ids never hold others).
    static func string(at key: [UInt8], in bytes: ArraySlice<UInt8>) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            guard var index = valueStart(of: key, in: raw), index < raw.count, raw[index] == UInt8(ascii: "\"") else {
                return nil
            }
            index += 1
            var value: [UInt8] = []
            while index < raw.count, raw[index] != UInt8(ascii: "\"") {
                if raw[index] == UInt8(ascii: "\\"), index + 1 < raw.count { index += 1 }
                value.append(raw[index])
                index += 1
            }
            guard index < raw.count else { return nil }
            return String(decoding: value, as: UTF8.self)
        }
    }

    /// The unsigned integer value of the member whose quoted key is `key`.
    static func unsignedInteger(at key: [UInt8], in bytes: ArraySlice<UInt8>) -> UInt64? {
        bytes.withUnsafeBytes { raw -> UInt64? in
            guard var index = valueStart(of: key, in: raw) else { return nil }
            var value: UInt64 = 0
            var digits = 0
            while index < raw.count, raw[index] >= UInt8(ascii: "0"), raw[index] <= UInt8(ascii: "9") {
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times.addingReportingOverflow(UInt64(raw[index] - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                value = sum
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }

    /// The offset of the value after `key` and its colon.
    private static func valueStart(of key: [UInt8], in raw: UnsafeRawBufferPointer) -> Int? {
        guard var index = ByteSearch.firstOffset(of: key, in: raw) else { return nil }
        index += key.count
        while index < raw.count, raw[index] == UInt8(ascii: " ") || raw[index] == UInt8(ascii: ":") { index += 1 }
        return index
    }
}
