import DialtoneServer

extension SettingsParser {
    private enum AuthMode: String {
        case none
        case jwt
    }

    /// `auth` with its keys: a secret from `jwt-secret` or `jwt-secret-file` (one of them, not
    /// both), a public key from `jwt-public-key-file`, or both. Returns the key files too, and a
    /// warning when a key is set but unused.
    mutating func authentication()
        -> (auth: Settings.Auth, secretFile: String?, publicKeyFile: String?, warning: String?)
    {
        let mode = choice(.auth, default: AuthMode.none)
        let modeSource = recorded[.auth] ?? .builtIn
        record(.jwtSecret, .builtIn)
        record(.jwtSecretFile, .builtIn)
        record(.jwtPublicKeyFile, .builtIn)
        let given = text(.jwtSecret)
        let file = text(.jwtSecretFile)
        let keyFile = text(.jwtPublicKeyFile)
        let publicKey = keyFile.flatMap { readPublicKey(path: $0.text, source: $0.source) }
        if let given, let file {
            report(
                .inconsistent(
                    .jwtSecret, "is set by \(given.source) and jwt-secret-file by \(file.source); give only one"))
            return (.none, file.text, keyFile?.text, nil)
        }
        var secret: Settings.Secret?
        if let given {
            if given.text.isEmpty {
                report(.invalid(.jwtSecret, value: "\"\"", source: given.source, reason: "is empty"))
            } else {
                secret = Settings.Secret(given.text)
            }
        } else if let file {
            secret = readSecret(path: file.text, source: file.source)
        }
        switch mode {
        case .jwt:
            guard secret != nil || publicKey != nil else {
                if given == nil && file == nil && keyFile == nil {
                    report(
                        .inconsistent(
                            .auth, "\"jwt\" from \(modeSource) needs jwt-secret, jwt-secret-file or jwt-public-key-file"
                        ))
                }
                return (.none, file?.text, keyFile?.text, nil)
            }
            return (.jwt(secret: secret, publicKey: publicKey), file?.text, keyFile?.text, nil)
        case .none:
            let unused = [secret.map { _ in "jwt-secret" }, publicKey.map { _ in "jwt-public-key-file" }]
                .compactMap { $0 }.joined(separator: " and ")
            let warning =
                unused.isEmpty ? nil : "\(unused) \(unused.contains(" and ") ? "are" : "is") set but auth is none, "
                + "so devices are not authenticated"
            return (.none, file?.text, keyFile?.text, warning)
        }
    }

    /// The file's bytes without the one trailing newline an editor or `echo` adds.
    private mutating func readSecret(path: String, source: Settings.Source) -> Settings.Secret? {
        guard var bytes = readFile(.jwtSecretFile, path: path, source: source) else { return nil }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            report(.invalid(.jwtSecretFile, value: quoted(path), source: source, reason: "holds an empty secret"))
            return nil
        }
        return Settings.Secret(bytes: bytes)
    }

    /// The PEM public key in the file, refused when it is weak or of a kind no JWS algorithm here uses.
    private mutating func readPublicKey(path: String, source: Settings.Source) -> TokenPublicKey? {
        guard let bytes = readFile(.jwtPublicKeyFile, path: path, source: source) else { return nil }
        do {
            return try TokenPublicKey(pem: String(decoding: bytes, as: UTF8.self))
        } catch {
            report(.invalid(.jwtPublicKeyFile, value: quoted(path), source: source, reason: error.description))
            return nil
        }
    }

    private mutating func readFile(_ key: Settings.Key, path: String, source: Settings.Source) -> [UInt8]? {
        do {
            guard let contents = try Syscalls.readAll(path) else {
                report(.invalid(key, value: quoted(path), source: source, reason: "does not exist"))
                return nil
            }
            return contents
        } catch {
            report(.invalid(key, value: quoted(path), source: source, reason: "cannot be read: \(error.reason)"))
            return nil
        }
    }
}
