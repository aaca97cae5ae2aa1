/// A plain byte-pattern search: the standard library's `firstRange(of:)` on byte collections
/// goes through generic searchers and metadata lookups that cost more than the whole rest of
/// a relayed message in the generator.
enum ByteSearch {
    /// The offset of the first occurrence of `pattern` in `bytes`, or nil.
    static func firstOffset(of pattern: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        let last = bytes.count - pattern.count
        var offset = 0
        while offset <= last {
            if bytes[offset] == first {
                var matched = 1
                while matched < pattern.count, bytes[offset + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return offset }
            }
            offset += 1
        }
        return nil
    }
}
