import DialtoneCore
import DialtoneJSON

extension SignalingHub {
    /// The body of `GET /status` and of the control method `status`.
    public func statusDocument(version: String, startedAt: Timestamp, now: Timestamp) -> JSONObject {
        let core = read { $0.status }
        var document: JSONObject = [
            "status": "ok",
            "version": .string(version),
            "uptimeSeconds": .number(JSONNumber(Int((now.milliseconds - startedAt.milliseconds) / 1000))),
        ]
        for (key, value) in core.toJSON() { document[key] = value }
        return document
    }
}
