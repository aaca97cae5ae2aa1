extension SettingsParser {
    private enum AuthMode: String {
        case none
        case jwt
    }

    /// `auth` with its secret from `jwt-secret` or `jwt-secret-file` (one of them, not both).
    /// Returns the secret file too, and a warning when a secret is set but unused.
    mutating func authentication() -> (auth: Settings.Auth, secretFile: String?, warning: String?) {
        let mode = choice(.auth, default: AuthMode.none)
        let modeSource = recorded[.auth] ?? .builtIn
        record(.jwtSecret, .builtIn)
        record(.jwtSecretFile, .builtIn)
        let given = text(.jwtSecret)
        let file = text(.jwtSecretFile)
        if let given, let file {
            report(
                .inconsistent(
                    .jwtSecret, "is set by \(given.source) and jwt-secret-file by \(file.source); give only one"))
            return (.none, file.text, nil)
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
            guard let secret else {
                if given == nil && file == nil {
                    report(.inconsistent(.auth, "\"jwt\" from \(modeSource) needs jwt-secret or jwt-secret-file"))
                }
                return (.none, file?.text, nil)
            }
            return (.jwt(secret: secret), file?.text, nil)
        case .none:
            let warning =
                secret == nil ? nil : "jwt-secret is set but auth is none, so devices are not authenticated"
            return (.none, file?.text, warning)
        }
    }

    /// The file's bytes without the one trailing newline an editor or `echo` adds.
    private mutating func readSecret(path: String, source: Settings.Source) -> Settings.Secret? {
        var bytes: [UInt8]
        do {
            guard let contents = try Syscalls.readAll(path) else {
                report(.invalid(.jwtSecretFile, value: quoted(path), source: source, reason: "does not exist"))
                return nil
            }
            bytes = contents
        } catch {
            report(
                .invalid(.jwtSecretFile, value: quoted(path), source: source, reason: "cannot be read: \(error.reason)")
            )
            return nil
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else {
            report(.invalid(.jwtSecretFile, value: quoted(path), source: source, reason: "holds an empty secret"))
            return nil
        }
        return Settings.Secret(bytes: bytes)
    }
}
