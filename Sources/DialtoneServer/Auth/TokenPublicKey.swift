import Crypto
import _CryptoExtras

/// A public key that verifies asymmetrically signed tokens: RSA keys verify RS256, EC P-256 keys
/// ES256. Each key verifies exactly one algorithm, so a token cannot pick how its key is read.
public enum TokenPublicKey: Sendable, Equatable {
    /// An RSA key of 2048 bits or more (RS256, PKCS#1 v1.5 padding).
    case rsa(_RSA.Signing.PublicKey)
    /// An EC key on P-256 (ES256).
    case p256(P256.Signing.PublicKey)

    /// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`, or `RSA PUBLIC KEY` for PKCS#1).
    public init(pem: String) throws(TokenKeyError) {
        if let key = try? _RSA.Signing.PublicKey(pemRepresentation: pem) {
            self = .rsa(key)
        } else if let key = try? P256.Signing.PublicKey(pemRepresentation: pem) {
            self = .p256(key)
        } else if let weak = try? _RSA.Signing.PublicKey(unsafePEMRepresentation: pem) {
            throw .rsaTooSmall(bits: weak.keySizeInBits)
        } else if (try? P384.Signing.PublicKey(pemRepresentation: pem)) != nil {
            throw .curveNotP256("P-384")
        } else if (try? P521.Signing.PublicKey(pemRepresentation: pem)) != nil {
            throw .curveNotP256("P-521")
        } else {
            throw .notAPublicKey
        }
    }

    /// The JWS `alg` this key verifies.
    public var algorithm: String {
        switch self {
        case .rsa: "RS256"
        case .p256: "ES256"
        }
    }

    /// Whether `signature` (as JWS encodes it) signs `message` with this key.
    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch self {
        case .rsa(let key):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: message, padding: .insecurePKCS1v1_5)
        case .p256(let key):
            // JWS carries ECDSA signatures as r || s, 32 bytes each, not as DER.
            guard let decoded = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(decoded, for: message)
        }
    }

    public static func == (lhs: TokenPublicKey, rhs: TokenPublicKey) -> Bool {
        switch (lhs, rhs) {
        case (.rsa(let left), .rsa(let right)): left.derRepresentation == right.derRepresentation
        case (.p256(let left), .p256(let right)): left.derRepresentation == right.derRepresentation
        default: false
        }
    }
}
