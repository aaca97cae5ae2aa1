import Crypto
import DialtoneCore
import DialtoneJSON

/// Checks HS256 JSON Web Tokens (RFC 7519) signed with a shared secret and names the user they
/// prove: `sub`. `exp` is required, `nbf` honoured when present, both with a small leeway for
/// clocks that disagree. Any other algorithm, `none` first of all, is refused.
public struct TokenVerifier: Sendable {
    private let key: SymmetricKey
    private let clock: any Clock
    /// How far `exp` and `nbf` may be off before a token is refused.
    public let leeway: Duration

    public init(secret: [UInt8], clock: any Clock, leeway: Duration = .seconds(30)) {
        self.key = SymmetricKey(data: secret)
        self.clock = clock
        self.leeway = leeway
    }

    /// The user id the token proves.
    public func verify(_ token: String) throws(TokenError) -> UserID {
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed }
        let header = try Self.object(segments[0])
        guard header["alg"]?.stringValue == "HS256" else { throw .unsupportedAlgorithm }
        guard header["crit"] == nil else { throw .unsupportedAlgorithm }
        guard let signature = Base64URL.decode(segments[2]) else { throw .malformed }
        let signed = Array(token.utf8.prefix(segments[0].count + 1 + segments[1].count))
        // Checked before the claims are even parsed: nothing unauthenticated is acted on.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed, using: key) else {
            throw .badSignature
        }
        let claims = try Self.object(segments[1])
        try checkTimes(claims)
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else { throw .missingSubject }
        return subject
    }

    private func checkTimes(_ claims: JSONObject) throws(TokenError) {
        let now = clock.now()
        guard let expiry = Self.time(claims["exp"]) else { throw .missingExpiry }
        guard now < expiry + leeway else { throw .expired }
        if let value = claims["nbf"] {
            guard let notBefore = Self.time(value) else { throw .malformed }
            guard now + leeway >= notBefore else { throw .notYetValid }
        }
    }

    /// A NumericDate (seconds since the epoch, possibly fractional) as a timestamp.
    private static func time(_ value: JSON?) -> Timestamp? {
        guard let seconds = value?.doubleValue, seconds.isFinite else { return nil }
        let milliseconds = (seconds * 1000).rounded(.down)
        // Far-future dates saturate instead of trapping in the conversion.
        guard abs(milliseconds) < 9e15 else { return Timestamp(milliseconds: seconds < 0 ? .min : .max) }
        return Timestamp(milliseconds: Int64(milliseconds))
    }

    private static func object(_ segment: some Collection<UInt8>) throws(TokenError) -> JSONObject {
        guard let bytes = Base64URL.decode(segment), let value = try? JSON(parsing: bytes),
            let object = value.objectValue
        else { throw .malformed }
        return object
    }
}
