/// Why a PEM file cannot serve as the public key that verifies tokens.
public struct TokenKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case notAPublicKey
        case rsaTooSmall(bits: Int)
        case curveNotP256(String)
    }

    private let reason: Reason

    private init(_ reason: Reason) { self.reason = reason }

    /// Not a PEM RSA or EC public key (a private key, a certificate or garbage included).
    public static let notAPublicKey = TokenKeyError(.notAPublicKey)

    /// An RSA key too short to resist factoring: 2048 bits is the least accepted.
    public static func rsaTooSmall(bits: Int) -> TokenKeyError { TokenKeyError(.rsaTooSmall(bits: bits)) }

    /// An EC key on a curve other than P-256, which ES256 requires.
    public static func curveNotP256(_ curve: String) -> TokenKeyError { TokenKeyError(.curveNotP256(curve)) }

    public var description: String {
        switch reason {
        case .notAPublicKey: "is not a PEM RSA or EC P-256 public key"
        case .rsaTooSmall(let bits): "is a \(bits)-bit RSA key; RS256 needs 2048 bits or more"
        case .curveNotP256(let curve): "is an EC key on \(curve); ES256 needs P-256"
        }
    }
}
