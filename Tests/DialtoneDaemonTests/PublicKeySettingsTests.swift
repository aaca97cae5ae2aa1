import Testing

@testable import DialtoneDaemon
@testable import DialtoneServer

@Suite("Settings: jwt-public-key-file")
struct PublicKeySettingsTests {
    /// Public keys made with `openssl genpkey` and `openssl pkey -pubout`.
    static let rsa2048 = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlm+ioFHmq0gYXGb4utz2
        EgN+T2J47gbr6txBE50TinkV0I515he6aI9XdtlrYbGsH1oPS6nzyc0VGbiH4uzQ
        DhWfFFS0UlwZmNOdtr07DW7iBEDNBwjjQPEn24LIEmLpVHXfFFJUaN9k1vLpeCqg
        IZO7k3wHMBaZi+yx1hytnAGuknn6b/yob6HOLMYxhUeoEUCUwQJcvFr6Gfi9SjJc
        u1eJ3IfXFh01g/nqQzrbC2oWbmVW7MjmTv01udq2rRCUREEba2gmOMlUkmqzPPYn
        iwHtbZoNbcO8BH10NxsJsdQvPDzxIOs4ijSSzIFo/oDVw6k9CiGJiWshuJHwhAMU
        owIDAQAB
        -----END PUBLIC KEY-----
        """
    static let rsa1024 = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDo2xbirHJTtYHK2I+oq1BvvxVt
        qb3gYQK3X5qndP5Q9tPuD7SIiOUpIqOg/sljMBUofOKk+6loq9DzTIK7fIZGgQ27
        qpXgivGQDMvBtVOnB1z0rX7bG9B2qSgBbLekL/PYS07Wph8cWOIbEdAqVdftTBzm
        7V4sAtltyjr9lOPMswIDAQAB
        -----END PUBLIC KEY-----
        """
    static let p256 = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEyL8ivtAqUw7efpZ/tiTLbTOS0aBs
        hQ4YP6hqwHP+g0M3ZK2Ejv9wrHTGMpAwo1/VX7Hy6kwR1p4YeF3dN6OvdQ==
        -----END PUBLIC KEY-----
        """
    static let p384 = """
        -----BEGIN PUBLIC KEY-----
        MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEMbNQOO3+y4OFYmwx5IyNiz6WCVMv9d5T
        dg3Wl4Vocm7dyOg3WRCB1rCBnVNIqoeU0OSrTA71jrMwxS5AvKVb2qAD97b4rQv7
        sXhzgNxzNaacc3la5QylknB53ykEGZVH
        -----END PUBLIC KEY-----
        """

    @Test("an RSA or P-256 PEM file makes auth jwt verify RS256 or ES256, alone or with a secret")
    func goodKeys() throws {
        let directory = try TemporaryDirectory()
        for (pem, algorithm) in [(Self.rsa2048, "RS256"), (Self.p256, "ES256")] {
            let file = try directory.write("\(algorithm).pem", pem + "\n")
            let settings = try loadSettings(options: [.auth: ["jwt"], .jwtPublicKeyFile: [file]])
            let key = try TokenPublicKey(pem: pem)
            #expect(key.algorithm == algorithm)
            #expect(settings.auth == .jwt(publicKey: key))
            #expect(settings.jwtPublicKeyFile == file)
            #expect(settings.report.contains("jwt-public-key-file = \(file) (--jwt-public-key-file)"))
            let both = try loadSettings(
                options: [.auth: ["jwt"], .jwtPublicKeyFile: [file]],
                environment: ["HOME": "/h", "DIALTONE_JWT_SECRET": "s"])
            #expect(both.auth == .jwt(secret: Settings.Secret("s"), publicKey: key))
        }
    }

    @Test("a weak RSA key, another curve or a file that is no public key is a setting error")
    func badKeys() throws {
        let directory = try TemporaryDirectory()
        let cases = [
            (Self.rsa1024, "is a 1024-bit RSA key; RS256 needs 2048 bits or more"),
            (Self.p384, "is an EC key on P-384; ES256 needs P-256"),
            ("hunter2\n", "is not a PEM RSA or EC P-256 public key"),
        ]
        for (index, (pem, reason)) in cases.enumerated() {
            let file = try directory.write("bad\(index).pem", pem)
            #expect(
                problems(options: [.auth: ["jwt"], .jwtPublicKeyFile: [file]]) == [
                    #"jwt-public-key-file: "\#(file)" from --jwt-public-key-file \#(reason)"#
                ])
        }
        #expect(
            problems(
                environment: ["HOME": "/h", "DIALTONE_AUTH": "jwt", "DIALTONE_JWT_PUBLIC_KEY_FILE": "/nonexistent/k"])
                == [#"jwt-public-key-file: "/nonexistent/k" from DIALTONE_JWT_PUBLIC_KEY_FILE does not exist"#])
    }

    @Test("a public key with auth none is a warning, not an error")
    func unusedKey() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("key.pem", Self.p256)
        let settings = try loadSettings(options: [.jwtPublicKeyFile: [file]])
        #expect(settings.auth == .none)
        #expect(settings.warnings == ["jwt-public-key-file is set but auth is none, so devices are not authenticated"])
    }
}
