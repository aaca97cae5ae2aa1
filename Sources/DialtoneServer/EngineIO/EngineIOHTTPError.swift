import NIOHTTP1

/// The errors the Engine.IO reference server answers HTTP requests with: a status and
/// `{"code":N,"message":"..."}`.
struct EngineIOHTTPError: Sendable, Hashable {
    let code: Int
    let message: String

    static let unknownTransport = EngineIOHTTPError(code: 0, message: "Transport unknown")
    static let unknownSession = EngineIOHTTPError(code: 1, message: "Session ID unknown")
    static let badHandshakeMethod = EngineIOHTTPError(code: 2, message: "Bad handshake method")
    static let badRequest = EngineIOHTTPError(code: 3, message: "Bad request")
    static let forbidden = EngineIOHTTPError(code: 4, message: "Forbidden")
    static let unsupportedProtocolVersion = EngineIOHTTPError(code: 5, message: "Unsupported protocol version")
    /// Not a code of the reference server, which has no such limit: `Bad request` with a message
    /// that says why, answered with 503 instead of 400.
    static let tooManyPollingSessions = EngineIOHTTPError(code: 3, message: "Too many polling sessions")

    var status: HTTPResponseStatus { code == 4 ? .forbidden : .badRequest }
    var jsonText: String { "{\"code\":\(code),\"message\":\"\(message)\"}" }
}
