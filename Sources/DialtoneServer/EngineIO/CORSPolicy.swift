import NIOHTTP1

/// Which browser origins may use the polling transport across origins.
public enum CORSPolicy: Sendable, Hashable {
    /// No CORS headers: only same-origin pages (and non-browser clients) can poll.
    case disabled
    /// `Access-Control-Allow-Origin: *` (no credentials).
    case anyOrigin
    /// Only these exact origins (`https://app.example.com`), echoed back with credentials allowed.
    case origins(Set<String>)

    /// The headers to add to a response for a request with these headers.
    func headers(for requestHeaders: HTTPHeaders) -> HTTPHeaders {
        switch self {
        case .disabled:
            return [:]
        case .anyOrigin:
            return ["Access-Control-Allow-Origin": "*"]
        case .origins(let allowed):
            guard let origin = requestHeaders["origin"].first, allowed.contains(origin) else {
                return ["Vary": "Origin"]
            }
            return [
                "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", "Vary": "Origin",
            ]
        }
    }

    /// The answer to an `OPTIONS` preflight.
    func preflightHeaders(for requestHeaders: HTTPHeaders) -> HTTPHeaders {
        var headers = headers(for: requestHeaders)
        guard headers.contains(name: "Access-Control-Allow-Origin") else { return headers }
        headers.add(name: "Access-Control-Allow-Methods", value: "GET, POST, OPTIONS")
        if let requested = requestHeaders["access-control-request-headers"].first {
            headers.add(name: "Access-Control-Allow-Headers", value: requested)
        }
        headers.add(name: "Access-Control-Max-Age", value: "86400")
        return headers
    }
}
