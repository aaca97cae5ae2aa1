/// Why a token was refused. Devices only ever see `unauthorized`; the reason is for the developer
/// of the client and for the logs.
public struct TokenError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case missing
        case malformed
        case unsupportedAlgorithm
        case badSignature
        case missingExpiry
        case expired
        case notYetValid
        case missingSubject
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    /// No token was presented at all.
    public static let missing = TokenError(.missing)
    /// Not three base64url segments of JSON objects.
    public static let malformed = TokenError(.malformed)
    /// The header's `alg` is not one a configured key verifies (HS256 with the secret, RS256 or
    /// ES256 with the public key; never `none`), or it asks for extensions (`crit`).
    public static let unsupportedAlgorithm = TokenError(.unsupportedAlgorithm)
    /// The signature does not match the key.
    public static let badSignature = TokenError(.badSignature)
    /// `exp` is absent or not a number: a token must not be valid forever.
    public static let missingExpiry = TokenError(.missingExpiry)
    /// `exp` is past (beyond the leeway).
    public static let expired = TokenError(.expired)
    /// `nbf` is still ahead (beyond the leeway).
    public static let notYetValid = TokenError(.notYetValid)
    /// `sub`, the user id, is absent, empty or not a string.
    public static let missingSubject = TokenError(.missingSubject)

    public var description: String {
        switch reason {
        case .missing: "no token"
        case .malformed: "the token is not a well-formed JWT"
        case .unsupportedAlgorithm: "the token's alg is not one the configured keys verify"
        case .badSignature: "the token's signature is not valid"
        case .missingExpiry: "the token has no exp"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet (nbf)"
        case .missingSubject: "the token has no sub"
        }
    }
}
