extension SettingsParser {
    /// `listen`: one or more distinct addresses.
    mutating func listenAddresses() -> [Settings.ListenAddress] {
        let fallback = [Settings.ListenAddress(host: "127.0.0.1", port: 8080)]
        record(.listen, .builtIn)
        guard let (items, source) = list(.listen) else { return fallback }
        guard !items.isEmpty else {
            report(.invalid(.listen, value: "[]", source: source, reason: "is empty; give at least one host:port"))
            return fallback
        }
        var addresses: [Settings.ListenAddress] = []
        for item in items {
            switch Settings.ListenAddress.parse(item) {
            case .success(let address) where addresses.contains(address):
                report(.invalid(.listen, value: quoted(item), source: source, reason: "is listed twice"))
            case .success(let address):
                addresses.append(address)
            case .failure(let failure):
                report(.invalid(.listen, value: quoted(item), source: source, reason: failure.reason))
            }
        }
        return addresses.isEmpty ? fallback : addresses
    }

    /// `cors-origins`: `*` alone, or origins of the form `scheme://host[:port]`.
    mutating func corsOrigins() -> Settings.CORSOrigins {
        record(.corsOrigins, .builtIn)
        guard let (items, source) = list(.corsOrigins) else { return .any }
        if items == ["*"] { return .any }
        var origins: [String] = []
        for item in items where !origins.contains(item) {
            if Self.isOrigin(item) {
                origins.append(item)
            } else {
                report(.notA(.corsOrigins, value: quoted(item), source: source))
            }
        }
        return origins.isEmpty ? .any : .only(origins)
    }

    /// An origin as browsers send it: a scheme, `://`, and a host with an optional port; no path.
    /// Any scheme, since app shells use their own (`capacitor://localhost`).
    private static func isOrigin(_ text: String) -> Bool {
        guard let separator = text.range(of: "://") else { return false }
        let scheme = text[..<separator.lowerBound]
        let authority = text[separator.upperBound...]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else {
            return false
        }
        return !authority.isEmpty
            && authority.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }
    }
}
