import Crypto
import DialtoneCore
import DialtoneJSON

/// Checks JSON Web Tokens (RFC 7519) and names the user they prove: `sub`. A token is signed
/// with HS256 and the shared secret, or with RS256 or ES256 and the private half of the public
/// key; its `alg` must be one a configured key verifies, so an HS256 token is never checked
/// against the public key's bytes (algorithm confusion). `exp` is required, `nbf` honoured when
/// present, both with a small leeway for clocks that disagree. `none` is refused.
public struct TokenVerifier: Sendable {
    private let secret: SymmetricKey?
    private let publicKey: TokenPublicKey?
    private let clock: any Clock
    /// How far `exp` and `nbf` may be off before a token is refused.
    public let leeway: Duration

    /// A verifier for HS256 tokens signed with `secret`, for `publicKey`'s algorithm, or both.
    public init(
        secret: [UInt8]? = nil, publicKey: TokenPublicKey? = nil, clock: any Clock, leeway: Duration = .seconds(30)
    ) {
        self.secret = secret.map { SymmetricKey(data: $0) }
        self.publicKey = publicKey
        self.clock = clock
        self.leeway = leeway
    }

    /// The user id the token proves.
    public func verify(_ token: String) throws(TokenError) -> UserID {
        let segments = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else { throw .malformed }
        let header = try Self.object(segments[0])
        guard header["crit"] == nil else { throw .unsupportedAlgorithm }
        let check = try signatureCheck(for: header["alg"]?.stringValue)
        guard let signature = Base64URL.decode(segments[2]) else { throw .malformed }
        let signed = Array(token.utf8.prefix(segments[0].count + 1 + segments[1].count))
        // Checked before the claims are even parsed: nothing unauthenticated is acted on.
        guard check(signature, signed) else { throw .badSignature }
        let claims = try Self.object(segments[1])
        try checkTimes(claims)
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty else { throw .missingSubject }
        return subject
    }

    /// How a signature made with `algorithm` is checked, if a configured key verifies it.
    private func signatureCheck(
        for algorithm: String?
    ) throws(TokenError) -> (_ signature: [UInt8], _ message: [UInt8]) -> Bool {
        if algorithm == "HS256", let secret {
            return { signature, message in
                HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: message, using: secret)
            }
        }
        if let publicKey, algorithm == publicKey.algorithm {
            return { signature, message in publicKey.isValidSignature(signature, for: message) }
        }
        throw .unsupportedAlgorithm
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
