import DialtoneJSON

extension ControlSchema {
    /// The schema as a JSON Schema object, as OpenRPC documents carry it.
    public var jsonSchema: JSON {
        var schema: JSONObject = [:]
        switch kind {
        case .string(let allowed, let format, let maxLength):
            schema["type"] = "string"
            if let allowed { schema["enum"] = .array(allowed.map(JSON.string)) }
            if let format { schema["format"] = .string(format.rawValue) }
            if let maxLength { schema["maxLength"] = .number(JSONNumber(maxLength)) }
        case .integer(let minimum, let maximum):
            schema["type"] = "integer"
            if let minimum { schema["minimum"] = .number(JSONNumber(minimum)) }
            if let maximum { schema["maximum"] = .number(JSONNumber(maximum)) }
        case .number:
            schema["type"] = "number"
        case .boolean:
            schema["type"] = "boolean"
        case .array(let items, let minItems):
            schema["type"] = "array"
            schema["items"] = items.jsonSchema
            if minItems > 0 { schema["minItems"] = .number(JSONNumber(minItems)) }
        case .object(let properties, let additionalProperties):
            schema["type"] = "object"
            if !properties.isEmpty {
                var members = JSONObject()
                for property in properties { members[property.name] = property.schema.jsonSchema }
                schema["properties"] = .object(members)
                let required = properties.filter(\.isRequired).map { JSON.string($0.name) }
                if !required.isEmpty { schema["required"] = .array(required) }
            }
            if let additionalProperties { schema["additionalProperties"] = additionalProperties.jsonSchema }
        case .nullable(let inner):
            schema["oneOf"] = [inner.jsonSchema, ["type": "null"]]
        case .anyOf(let schemas):
            schema["anyOf"] = .array(schemas.map(\.jsonSchema))
        case .any:
            break
        }
        if let summary { schema["description"] = .string(summary) }
        return .object(schema)
    }
}
