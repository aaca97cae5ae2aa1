import NIOCore
import NIOHTTP1

/// What a route handler answers. `Content-Length` and `Connection` are set by the server.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a JSON body (the text must already be JSON).
    public static func json(_ status: HTTPResponseStatus, _ jsonText: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "application/json; charset=utf-8"],
            body: ByteBuffer(string: jsonText))
    }

    /// A plain-text response.
    public static func text(
        _ status: HTTPResponseStatus, _ text: String, contentType: String = "text/plain; charset=utf-8"
    )
        -> HTTPResponse
    {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: ByteBuffer(string: text))
    }

    static let notFound = HTTPResponse.json(.notFound, #"{"error":"not_found","message":"No such resource"}"#)
    static let payloadTooLarge = HTTPResponse.json(
        .payloadTooLarge, #"{"error":"payload_too_large","message":"Request body too large"}"#)
    static let methodNotAllowed = HTTPResponse.json(
        .methodNotAllowed, #"{"error":"method_not_allowed","message":"Method not allowed"}"#)
}
