import Crypto
import DialtoneCore
import DialtoneServer
import Testing
import _CryptoExtras

@Suite("RS256 and ES256 token verifier")
struct TokenPublicKeyTests {
    static let now = TokenVerifierTests.now
    static let claims = #"{"sub":"alice","exp":\#(TokenVerifierTests.inAnHour)}"#
    /// Generating RSA keys is slow, so the suite makes one pair (and a stranger's) for all tests.
    /// Generation only fails when the system's random source does.
    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSA = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ec = P256.Signing.PrivateKey()

    let clock = ManualClock(now)

    func verifier(_ key: TokenPublicKey, secret: [UInt8]? = nil) -> TokenVerifier {
        TokenVerifier(secret: secret, publicKey: key, clock: clock)
    }

    static func signingInput(header: String, claims: String) -> String {
        "\(TokenVerifierTests.base64URL(header.utf8)).\(TokenVerifierTests.base64URL(claims.utf8))"
    }

    static func rs256(
        _ key: _RSA.Signing.PrivateKey = rsa, header: String = #"{"alg":"RS256","typ":"JWT"}"#, claims: String = claims
    ) throws -> String {
        let input = signingInput(header: header, claims: claims)
        let signature = try key.signature(for: Array(input.utf8), padding: .insecurePKCS1v1_5)
        return "\(input).\(TokenVerifierTests.base64URL(Array(signature.rawRepresentation)))"
    }

    static func es256(
        _ key: P256.Signing.PrivateKey = ec, header: String = #"{"alg":"ES256","typ":"JWT"}"#, claims: String = claims
    ) throws -> String {
        let input = signingInput(header: header, claims: claims)
        let signature = try key.signature(for: Array(input.utf8))
        return "\(input).\(TokenVerifierTests.base64URL(Array(signature.rawRepresentation)))"
    }

    static func rsaKey() throws -> TokenPublicKey { try TokenPublicKey(pem: rsa.publicKey.pemRepresentation) }
    static func ecKey() throws -> TokenPublicKey { try TokenPublicKey(pem: ec.publicKey.pemRepresentation) }

    @Test func pemKeysAreReadAsTheirAlgorithm() throws {
        #expect(try Self.rsaKey() == .rsa(Self.rsa.publicKey))
        #expect(try Self.rsaKey().algorithm == "RS256")
        #expect(try Self.ecKey() == .p256(Self.ec.publicKey))
        #expect(try Self.ecKey().algorithm == "ES256")
        #expect(try TokenPublicKey(pem: Self.rsa.publicKey.pkcs1PEMRepresentation) == .rsa(Self.rsa.publicKey))
    }

    @Test func goodTokensNameTheirSubject() throws {
        #expect(try verifier(Self.rsaKey()).verify(Self.rs256()) == "alice")
        #expect(try verifier(Self.ecKey()).verify(Self.es256()) == "alice")
    }

    @Test func anotherKeysSignatureIsBad() throws {
        #expect(throws: TokenError.badSignature) { try verifier(Self.rsaKey()).verify(Self.rs256(Self.otherRSA)) }
        #expect(throws: TokenError.badSignature) {
            try verifier(Self.ecKey()).verify(Self.es256(P256.Signing.PrivateKey()))
        }
    }

    @Test func changedClaimsBreakTheSignature() throws {
        let mallory = TokenVerifierTests.base64URL(#"{"sub":"mallory","exp":\#(TokenVerifierTests.inAnHour)}"#.utf8)
        for (token, key) in [(try Self.rs256(), try Self.rsaKey()), (try Self.es256(), try Self.ecKey())] {
            let parts = token.split(separator: ".")
            #expect(throws: TokenError.badSignature) { try verifier(key).verify("\(parts[0]).\(mallory).\(parts[2])") }
        }
    }

    @Test func anECDSASignatureInDERIsBad() throws {
        let input = Self.signingInput(header: #"{"alg":"ES256"}"#, claims: Self.claims)
        let der = try Self.ec.signature(for: Array(input.utf8)).derRepresentation
        let token = "\(input).\(TokenVerifierTests.base64URL(Array(der)))"
        #expect(throws: TokenError.badSignature) { try verifier(Self.ecKey()).verify(token) }
    }

    @Test func eachKeyVerifiesOnlyItsOwnAlgorithm() throws {
        // An RS256 token presented to an ES256 key, and the reverse, and HS256 with no secret.
        #expect(throws: TokenError.unsupportedAlgorithm) { try verifier(Self.ecKey()).verify(Self.rs256()) }
        #expect(throws: TokenError.unsupportedAlgorithm) { try verifier(Self.rsaKey()).verify(Self.es256()) }
        let hs256 = TokenVerifierTests.token(claims: Self.claims)
        #expect(throws: TokenError.unsupportedAlgorithm) { try verifier(Self.rsaKey()).verify(hs256) }
        for header in [#"{"alg":"RS384"}"#, #"{"alg":"PS256"}"#, #"{"alg":"none"}"#, #"{"alg":"rs256"}"#] {
            #expect(throws: TokenError.unsupportedAlgorithm) {
                try verifier(Self.rsaKey()).verify(Self.rs256(header: header))
            }
        }
    }

    @Test func hs256SignedWithThePublicKeyIsNotAccepted() throws {
        // Algorithm confusion: the attacker knows the public key and uses its text as an HMAC key.
        for pem in [Self.rsa.publicKey.pemRepresentation, Self.ec.publicKey.pemRepresentation] {
            let key = try TokenPublicKey(pem: pem)
            for secret in [Array(pem.utf8), Array((pem + "\n").utf8)] {
                let forged = TokenVerifierTests.token(claims: Self.claims, secret: secret)
                #expect(throws: TokenError.unsupportedAlgorithm) { try verifier(key).verify(forged) }
                // With a real secret configured too, the forgery is still only an HS256 token with
                // a signature the secret does not make.
                #expect(throws: TokenError.badSignature) {
                    try verifier(key, secret: TokenVerifierTests.secret).verify(forged)
                }
            }
        }
    }

    @Test func aSecretAndAPublicKeyWorkTogether() throws {
        let both = verifier(try Self.rsaKey(), secret: TokenVerifierTests.secret)
        #expect(try both.verify(Self.rs256()) == "alice")
        #expect(try both.verify(TokenVerifierTests.token(claims: Self.claims)) == "alice")
        #expect(throws: TokenError.unsupportedAlgorithm) { try both.verify(Self.es256()) }
    }

    @Test func timesAreCheckedAsForHS256() throws {
        let expired = #"{"sub":"alice","exp":\#(Self.now.milliseconds / 1000 - 31)}"#
        #expect(throws: TokenError.expired) { try verifier(Self.rsaKey()).verify(Self.rs256(claims: expired)) }
        #expect(throws: TokenError.expired) { try verifier(Self.ecKey()).verify(Self.es256(claims: expired)) }
        #expect(throws: TokenError.missingExpiry) {
            try verifier(Self.ecKey()).verify(Self.es256(claims: #"{"sub":"alice"}"#))
        }
    }

    @Test func weakAndForeignKeysAreRefused() throws {
        let weak = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        #expect(throws: TokenKeyError.rsaTooSmall(bits: 1024)) {
            try TokenPublicKey(pem: weak.publicKey.pemRepresentation)
        }
        #expect(throws: TokenKeyError.curveNotP256("P-384")) {
            try TokenPublicKey(pem: P384.Signing.PrivateKey().publicKey.pemRepresentation)
        }
        #expect(throws: TokenKeyError.curveNotP256("P-521")) {
            try TokenPublicKey(pem: P521.Signing.PrivateKey().publicKey.pemRepresentation)
        }
        let truncated = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
        for notAKey in ["", "hunter2", Self.ec.pemRepresentation, truncated] {
            #expect(throws: TokenKeyError.notAPublicKey) { try TokenPublicKey(pem: notAKey) }
        }
        #expect(
            TokenKeyError.rsaTooSmall(bits: 1024).description == "is a 1024-bit RSA key; RS256 needs 2048 bits or more")
    }
}
