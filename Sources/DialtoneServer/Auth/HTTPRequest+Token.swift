extension HTTPRequest {
    /// The token from an `Authorization: Bearer` header or the query `?token=` (browsers'
    /// WebSocket API cannot set headers).
    var token: String? {
        headers.bearerToken ?? query["token"]
    }
}
