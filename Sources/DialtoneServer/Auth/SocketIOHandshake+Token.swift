extension SocketIOHandshake {
    /// The token from the CONNECT auth payload `{"token": ...}`, the handshake query `?token=` or
    /// an `Authorization: Bearer` header, in that order.
    var token: String? {
        auth["token"]?.stringValue ?? query["token"] ?? headers.bearerToken
    }
}
