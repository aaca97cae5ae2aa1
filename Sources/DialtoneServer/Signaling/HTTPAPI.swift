import DialtoneCore
import DialtoneJSON
import NIOCore
import NIOHTTP1

/// The HTTP API beside the device transports: `/call-end` (the Node server's shapes, kept for the
/// apps in users' hands), `/status`, `/health`, `/metrics` and `/history`.
public struct HTTPAPI: Sendable {
    public var hub: SignalingHub
    public var version: String
    public var startedAt: Timestamp
    public var clock: any Clock
    /// Under `jwt`, `/call-end` and `/history` act only for the token's user.
    public var authenticator: Authenticator
    /// Renders the Prometheus text exposition of every metric.
    public var renderMetrics: @Sendable () -> [UInt8]
    /// The largest `limit` `/history` accepts; also its default.
    public var historyPageLimit = 1_000
    /// Holds the answers drawn from the history (`/history`, `/status`, `/metrics`): a daemon that
    /// serves while it still reads its history file gives them once the records are in.
    public var historyLoaded = HTTPRouteGate.open

    public init(
        hub: SignalingHub, version: String, startedAt: Timestamp, clock: any Clock, authenticator: Authenticator = .none,
        renderMetrics: @escaping @Sendable () -> [UInt8]
    ) {
        self.hub = hub
        self.version = version
        self.startedAt = startedAt
        self.clock = clock
        self.authenticator = authenticator
        self.renderMetrics = renderMetrics
    }

    public func register(in router: inout HTTPRouter) {
        router.add(.POST, "/call-end") { request in self.callEnd(request) }
        router.add(.GET, "/status", after: historyLoaded) { _ in self.status() }
        router.add(.GET, "/health") { _ in .json(.ok, #"{"status":"ok"}"#) }
        router.add(.GET, "/metrics", after: historyLoaded) { _ in
            HTTPResponse(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                body: ByteBuffer(bytes: self.renderMetrics()))
        }
        router.add(.GET, "/history", after: historyLoaded) { request in self.history(request) }
    }

    func callEnd(_ request: HTTPRequest) -> HTTPResponse {
        let requester: UserID?
        switch authenticator.requester(token: request.token) {
        case .success(let user): requester = user
        case .failure(let error): return unauthorized(error) { nodeError(.unauthorized, $0) }
        }
        guard let body = try? request.body.withUnsafeReadableBytes({ try JSON(parsing: $0) }), let fields = body.objectValue
        else {
            return nodeError(.badRequest, "Request body must be a JSON object")
        }
        let userId: UserID
        switch (fields["userId"], requester) {
        case (.string(let given), _) where !given.isEmpty:
            if let requester, given != requester {
                return nodeError(.forbidden, "userId must be the token's user")
            }
            userId = given
        case (nil, let requester?), (.null, let requester?):
            userId = requester
        default:
            return nodeError(.badRequest, "userId is required and must be a string")
        }
        let callId: String?
        switch fields["callId"] {
        case nil, .null: callId = nil
        case .string(let value) where !value.isEmpty: callId = value
        case .string: return nodeError(.badRequest, "callId must not be empty")
        default: return nodeError(.badRequest, "callId must be a string")
        }
        let outcome = hub.endCall(callId: callId, requestedBy: userId)
        switch outcome.reply {
        case .success(let ack):
            var answer: JSONObject = ["status": "Success", "message": "Call ended successfully"]
            answer["callId"] = ack["callId"]
            return .json(.ok, JSON.object(answer).serialized())
        case .failure(let error):
            switch error.code {
            case .callNotFound: return nodeError(.notFound, "Call not found")
            case .notAParticipant: return nodeError(.forbidden, error.message)
            default: return nodeError(.badRequest, error.message)
            }
        case nil:
            return nodeError(.internalServerError, "The call could not be ended")
        }
    }

    func status() -> HTTPResponse {
        .json(.ok, JSON.object(hub.statusDocument(version: version, startedAt: startedAt, now: clock.now())).serialized())
    }

    func history(_ request: HTTPRequest) -> HTTPResponse {
        let requester: UserID?
        switch authenticator.requester(token: request.token) {
        case .success(let user): requester = user
        case .failure(let error): return unauthorized(error) { apiError(.unauthorized, "unauthorized", $0) }
        }
        guard let userId = request.query["userId"] ?? requester, !userId.isEmpty else {
            return apiError(.badRequest, "bad_request", "userId is required")
        }
        if let requester, userId != requester {
            return apiError(.forbidden, "unauthorized", "only the token's own history can be read")
        }
        var limit = historyPageLimit
        if let text = request.query["limit"] {
            guard let value = Int(text), value > 0 else {
                return apiError(.badRequest, "bad_request", "limit must be a positive integer")
            }
            limit = min(value, historyPageLimit)
        }
        let records = hub.read { $0.history(userId: userId, since: nil, until: nil, limit: limit) }
        let answer: JSON = ["calls": .array(records.map { $0.toJSON() })]
        return .json(.ok, answer.serialized())
    }

    /// 401 with the challenge RFC 6750 asks for; `render` gives the body its route's shape.
    private func unauthorized(_ error: TokenError, render: (String) -> HTTPResponse) -> HTTPResponse {
        var response = render("Unauthorized: \(error)")
        response.headers.replaceOrAdd(name: "WWW-Authenticate", value: #"Bearer error="invalid_token""#)
        return response
    }

    /// `/history`'s error shape: `{"error": code, "message": ...}`.
    private func apiError(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> HTTPResponse {
        let body: JSON = ["error": .string(code), "message": .string(message)]
        return .json(status, body.serialized())
    }

    private func nodeError(_ status: HTTPResponseStatus, _ message: String) -> HTTPResponse {
        let body: JSON = ["status": "Error", "message": .string(message)]
        return .json(status, body.serialized())
    }
}
