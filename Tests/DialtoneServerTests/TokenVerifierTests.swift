import Crypto
import DialtoneCore
import DialtoneProtocol
import DialtoneServer
import Testing

@Suite("HS256 token verifier")
struct TokenVerifierTests {
    static let secret = Array("test-secret".utf8)
    /// 2033-05-18T03:33:20Z, the `now` of every test unless it moves the clock.
    static let now = Timestamp(milliseconds: 2_000_000_000_000)

    let clock = ManualClock(now)
    var verifier: TokenVerifier { TokenVerifier(secret: Self.secret, clock: clock) }

    /// A token as an issuer would make it: `header` and `claims` are raw JSON text.
    static func token(
        header: String = #"{"alg":"HS256","typ":"JWT"}"#, claims: String, secret: [UInt8] = secret
    ) -> String {
        let signed = "\(base64URL(header.utf8)).\(base64URL(claims.utf8))"
        let code = HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: SymmetricKey(data: secret))
        return "\(signed).\(base64URL(Array(code)))"
    }

    static func base64URL(_ bytes: some Collection<UInt8>) -> String {
        String(Base64.encode(bytes).compactMap { character -> Character? in
            switch character {
            case "+": "-"
            case "/": "_"
            case "=": nil
            default: character
            }
        })
    }

    static let inAnHour = now.milliseconds / 1000 + 3600

    @Test func aGoodTokenNamesItsSubject() throws {
        let token = Self.token(claims: #"{"sub":"alice","exp":\#(Self.inAnHour),"iat":1999999000}"#)
        #expect(try verifier.verify(token) == "alice")
    }

    /// Made with Python's hmac and base64 modules: secret "python-secret", `{"sub":"alice","exp":2000000000}`.
    static let pythonToken = (
        header: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", claims: "eyJzdWIiOiJhbGljZSIsImV4cCI6MjAwMDAwMDAwMH0",
        signature: "bXBh-IAVHqVgTkeSbPbg-8241suovN3y_p3blRq8a0Q"
    )

    @Test func aTokenFromAnotherImplementationVerifies() throws {
        let token = "\(Self.pythonToken.header).\(Self.pythonToken.claims).\(Self.pythonToken.signature)"
        let verifier = TokenVerifier(secret: Array("python-secret".utf8), clock: ManualClock(Self.now))
        #expect(try verifier.verify(token) == "alice")
        let other = TokenVerifier(secret: Array("another-secret".utf8), clock: ManualClock(Self.now))
        #expect(throws: TokenError.badSignature) { try other.verify(token) }
    }

    @Test func aWrongSecretIsABadSignature() {
        let token = Self.token(claims: #"{"sub":"alice","exp":\#(Self.inAnHour)}"#, secret: Array("forged".utf8))
        #expect(throws: TokenError.badSignature) { try verifier.verify(token) }
    }

    @Test func changedClaimsBreakTheSignature() {
        let token = Self.token(claims: #"{"sub":"alice","exp":\#(Self.inAnHour)}"#)
        let parts = token.split(separator: ".")
        let mallory = Self.base64URL(#"{"sub":"mallory","exp":\#(Self.inAnHour)}"#.utf8)
        #expect(throws: TokenError.badSignature) { try verifier.verify("\(parts[0]).\(mallory).\(parts[2])") }
    }

    @Test func algNoneIsRefusedEvenUnsigned() {
        let claims = Self.base64URL(#"{"sub":"alice","exp":\#(Self.inAnHour)}"#.utf8)
        let header = Self.base64URL(#"{"alg":"none","typ":"JWT"}"#.utf8)
        #expect(throws: TokenError.unsupportedAlgorithm) { try verifier.verify("\(header).\(claims).") }
        // Signed with the secret all the same: `none` is still not HS256.
        let signed = Self.token(header: #"{"alg":"none"}"#, claims: #"{"sub":"alice","exp":\#(Self.inAnHour)}"#)
        #expect(throws: TokenError.unsupportedAlgorithm) { try verifier.verify(signed) }
    }

    @Test(arguments: [#"{"alg":"RS256","typ":"JWT"}"#, #"{"alg":"HS512"}"#, #"{"alg":"hs256"}"#, #"{"typ":"JWT"}"#,
        #"{"alg":"HS256","crit":["exp"]}"#])
    func otherAlgorithmsAreRefused(header: String) {
        let token = Self.token(header: header, claims: #"{"sub":"alice","exp":\#(Self.inAnHour)}"#)
        #expect(throws: TokenError.unsupportedAlgorithm) { try verifier.verify(token) }
    }

    @Test func expiryIsEnforcedWithLeeway() throws {
        let expiry = Self.now.milliseconds / 1000
        let token = Self.token(claims: #"{"sub":"alice","exp":\#(expiry)}"#)
        clock.advance(by: .seconds(29))
        #expect(try verifier.verify(token) == "alice")
        clock.advance(by: .seconds(1))
        #expect(throws: TokenError.expired) { try verifier.verify(token) }
        clock.advance(by: .seconds(3600))
        #expect(throws: TokenError.expired) { try verifier.verify(token) }
    }

    @Test func notBeforeInTheFutureIsRefusedUntilItComes() throws {
        let start = Self.now.milliseconds / 1000 + 60
        let token = Self.token(claims: #"{"sub":"alice","exp":\#(Self.inAnHour),"nbf":\#(start)}"#)
        #expect(throws: TokenError.notYetValid) { try verifier.verify(token) }
        clock.advance(by: .seconds(30))
        #expect(try verifier.verify(token) == "alice")
    }

    @Test(arguments: [#"{"sub":"alice"}"#, #"{"sub":"alice","exp":null}"#, #"{"sub":"alice","exp":"2100000000"}"#])
    func anExpiryIsRequired(claims: String) {
        #expect(throws: TokenError.missingExpiry) { try verifier.verify(Self.token(claims: claims)) }
    }

    @Test(arguments: [
        #"{"exp":\#(TokenVerifierTests.inAnHour)}"#, #"{"sub":"","exp":\#(TokenVerifierTests.inAnHour)}"#,
        #"{"sub":42,"exp":\#(TokenVerifierTests.inAnHour)}"#, #"{"sub":null,"exp":\#(TokenVerifierTests.inAnHour)}"#,
    ])
    func aSubjectIsRequired(claims: String) {
        #expect(throws: TokenError.missingSubject) { try verifier.verify(Self.token(claims: claims)) }
    }

    @Test func fractionalTimesAreNumericDates() throws {
        let token = Self.token(claims: #"{"sub":"alice","exp":\#(Self.now.milliseconds / 1000).5,"nbf":1.5e9}"#)
        #expect(try verifier.verify(token) == "alice")
    }

    @Test func farFutureTimesDoNotTrap() throws {
        let token = Self.token(claims: #"{"sub":"alice","exp":1e300}"#)
        #expect(try verifier.verify(token) == "alice")
        let never = Self.token(claims: #"{"sub":"alice","exp":\#(Self.inAnHour),"nbf":1e300}"#)
        #expect(throws: TokenError.notYetValid) { try verifier.verify(never) }
    }

    @Test(arguments: ["", ".", "..", "a.b", "a.b.c.d", "onlyonesegment", "x.y.z"])
    func malformedSegmentsAreRefused(token: String) {
        #expect(throws: TokenError.malformed) { try verifier.verify(token) }
    }

    @Test func garbageBase64IsRefused() throws {
        let (header, claims, signature) = Self.pythonToken
        let verifier = TokenVerifier(secret: Array("python-secret".utf8), clock: ManualClock(Self.now))
        #expect(try verifier.verify("\(header).\(claims).\(signature)") == "alice")
        for bad in [
            "\(header)!.\(claims).\(signature)",  // outside the alphabet
            "\(header).\(claims).\(signature)=",  // padding
            "\(header).\(claims).bXBh+IAVHqVgTkeSbPbg-8241suovN3y_p3blRq8a0Q",  // the standard alphabet
            "\(header).\(claims).\(signature)AA",  // a length no encoding has
            "\(Self.base64URL("not json".utf8)).\(claims).\(signature)",
            "\(Self.base64URL("[1,2]".utf8)).\(claims).\(signature)",
        ] {
            #expect(throws: TokenError.malformed, "\(bad)") { try verifier.verify(bad) }
        }
    }

    @Test func claimsThatAreNotAnObjectAreMalformed() {
        #expect(throws: TokenError.malformed) { try verifier.verify(Self.token(claims: #""alice""#)) }
        #expect(throws: TokenError.malformed) { try verifier.verify(Self.token(claims: "{")) }
    }
}
