import DialtoneCore
import DialtoneJSON
import Logging
import Metrics

/// A limit that refused something, the `limit` label of `dialtone_limit_rejections_total`.
public enum LimitRejection: String, Sendable, CaseIterable {
    case connections
    case connectionsPerAddress = "connections_per_address"
    case callsPerUser = "calls_per_user"
    case rate
    case pollingSessions = "polling_sessions"
    case requestTimeout = "request_timeout"
    case idleTimeout = "idle_timeout"
    case origin
    case payload

    /// Counts one rejection and logs it: at `debug` for the rate limit and the idle timeout, which
    /// an abusive or merely quiet client hits over and over, at `notice` for the others.
    public func record(_ logger: Logger = LimitRejection.logger, metadata: Logger.Metadata = [:]) {
        Self.counters[self]?.increment()
        var metadata = metadata
        metadata["dialtone.limit"] = "\(rawValue)"
        switch self {
        case .rate, .idleTimeout: logger.debug("limit reached", metadata: metadata)
        default: logger.notice("limit reached", metadata: metadata)
        }
    }

    /// Counts a refusal of the core's own limit, `max-calls-per-user`: the only `rate_limited` it answers.
    static func recordCoreRefusal(_ reply: Result<JSONObject, SignalingError>, event: String) {
        guard case .failure(let error) = reply, error.code == .rateLimited else { return }
        callsPerUser.record(metadata: ["dialtone.event": "\(event.prefix(64))"])
    }

    /// For the places that have no logger of their own, such as the Socket.IO namespace.
    public static let logger = Logger(label: "dialtone.limits")

    /// Made on first use, after the daemon bootstrapped the metrics system.
    private static let counters: [LimitRejection: Counter] = Dictionary(
        uniqueKeysWithValues: allCases.map {
            ($0, Counter(label: "dialtone_limit_rejections_total", dimensions: [("limit", $0.rawValue)]))
        })

    /// Creates every counter, so `/metrics` lists each limit at 0 before it is first reached.
    public static func registerMetrics() {
        _ = counters
    }
}
