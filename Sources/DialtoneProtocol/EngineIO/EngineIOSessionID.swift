/// Session identifiers: 20 characters of the URL-safe base64 alphabet from a random source, so
/// they are unguessable, need no escaping in JSON or URLs, and identify a session in logs.
public enum EngineIOSessionID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func make<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var bytes = [UInt8](repeating: 0, count: 20)
        for index in bytes.indices {
            bytes[index] = alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A new identifier from the system's secure random source.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }
}
