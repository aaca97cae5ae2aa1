/// Reads a fuzzer's bytes as a sequence of small choices; once the bytes run out every choice is
/// zero, so any input is a complete program.
public struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = Array(bytes) }

    public var isExhausted: Bool { position >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// A number in `0..<bound` (`bound` at most 256).
    public mutating func choice(_ bound: Int) -> Int { Int(byte()) % bound }

    public mutating func pick<T>(_ options: [T]) -> T { options[choice(options.count)] }

    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// Up to `maxCount` raw bytes, the count given by the next byte.
    public mutating func chunk(maxCount: Int = 64) -> ArraySlice<UInt8> {
        let count = min(choice(maxCount + 1), bytes.count - min(position, bytes.count))
        defer { position += count }
        return bytes[min(position, bytes.count)..<min(position, bytes.count) + count]
    }
}
