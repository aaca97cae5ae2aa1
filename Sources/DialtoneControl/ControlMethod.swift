import DialtoneJSON

/// One control method: everything the dispatcher needs to run it and everything `rpc.discover`
/// publishes about it, in one place.
public struct ControlMethod: Sendable {
    public let name: String
    /// One line for people.
    public let summary: String
    /// Parameters by name; positional params map onto them in this order.
    public let params: [ControlSchema.Property]
    /// The name and schema of the result.
    public let resultName: String
    public let result: ControlSchema
    /// The application error codes the method can answer with (`data.code`).
    public let errors: [String]
    /// Whether the method changes the daemon's state; such calls are logged with the peer's credentials.
    public let isMutating: Bool
    let handler: @Sendable (inout ControlInvocation) async throws -> JSON

    init(
        _ name: String,
        summary: String,
        params: [ControlSchema.Property] = [],
        result resultName: String,
        _ result: ControlSchema,
        errors: [String] = [],
        mutating isMutating: Bool = false,
        handler: @escaping @Sendable (inout ControlInvocation) async throws -> JSON
    ) {
        self.name = name
        self.summary = summary
        self.params = params
        self.resultName = resultName
        self.result = result
        self.errors = errors
        self.isMutating = isMutating
        self.handler = handler
    }

    /// Turns JSON-RPC `params` (absent, by name or by position) into validated named params,
    /// or says what is wrong with them.
    func namedParams(_ params: JSON?) -> Result<JSONObject, ControlParamsError> {
        let named: JSONObject
        switch params {
        case nil:
            named = [:]
        case .object(let object)?:
            named = object
        case .array(let values)?:
            guard values.count <= self.params.count else {
                return .failure(ControlParamsError("\(name) takes at most \(self.params.count) positional params"))
            }
            var object = JSONObject()
            for (property, value) in zip(self.params, values) { object[property.name] = value }
            named = object
        case let other?:
            return .failure(ControlParamsError("params must be an object or an array, not \(other)"))
        }
        if self.params.isEmpty, !named.isEmpty {
            return .failure(ControlParamsError("\(name) takes no params"))
        }
        if let violation = ControlSchema.violation(of: named, properties: self.params, additional: nil, at: "params") {
            return .failure(ControlParamsError(violation))
        }
        return .success(named)
    }
}

/// Why params were rejected: answered as JSON-RPC invalid params (−32602).
struct ControlParamsError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
