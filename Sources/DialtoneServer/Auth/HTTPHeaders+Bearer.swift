import NIOHTTP1

extension HTTPHeaders {
    /// The token of an `Authorization: Bearer <token>` header (RFC 6750; the scheme is
    /// case-insensitive).
    var bearerToken: String? {
        for value in self[canonicalForm: "authorization"] {
            let parts = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
        }
        return nil
    }
}
