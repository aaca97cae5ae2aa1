import DialtoneJSON

extension ControlSchema {
    /// Why `value` does not match, naming where (`path`), or `nil` when it matches.
    /// Objects with declared members reject members they do not declare, so a misspelt
    /// parameter is an error rather than silently ignored.
    func violation(of value: JSON, at path: String) -> String? {
        switch kind {
        case .string(let allowed, let format, let maxLength):
            guard let text = value.stringValue else { return "\(path) must be a string" }
            if let allowed, !allowed.contains(text) {
                return "\(path) must be one of \(allowed.joined(separator: ", "))"
            }
            if let maxLength, text.count > maxLength {
                return "\(path) must be at most \(maxLength) characters"
            }
            if format == .dateTime, ControlTime.parse(text) == nil {
                return "\(path) must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z"
            }
            return nil
        case .integer(let minimum, let maximum):
            guard let number = value.numberValue, let integer = number.exactInteger else {
                return "\(path) must be an integer"
            }
            if let minimum, integer < minimum { return "\(path) must be at least \(minimum)" }
            if let maximum, integer > maximum { return "\(path) must be at most \(maximum)" }
            return nil
        case .number:
            return value.numberValue == nil ? "\(path) must be a number" : nil
        case .boolean:
            return value.boolValue == nil ? "\(path) must be true or false" : nil
        case .array(let items, let minItems):
            guard let elements = value.arrayValue else { return "\(path) must be an array" }
            if elements.count < minItems { return "\(path) must have at least \(minItems) element(s)" }
            for (index, element) in elements.enumerated() {
                if let violation = items.violation(of: element, at: "\(path)[\(index)]") { return violation }
            }
            return nil
        case .object(let properties, let additionalProperties):
            guard let object = value.objectValue else { return "\(path) must be an object" }
            return Self.violation(of: object, properties: properties, additional: additionalProperties, at: path)
        case .nullable(let inner):
            return value.isNull ? nil : inner.violation(of: value, at: path)
        case .anyOf(let schemas):
            let violations = schemas.compactMap { $0.violation(of: value, at: path) }
            return violations.count < schemas.count ? nil : violations.joined(separator: ", or ")
        case .any:
            return nil
        }
    }

    static func violation(
        of object: JSONObject,
        properties: [Property],
        additional: ControlSchema?,
        at path: String
    ) -> String? {
        var seen = Set<String>()
        for (key, member) in object {
            guard seen.insert(key).inserted else { return "\(path).\(key) is given twice" }
            if let property = properties.first(where: { $0.name == key }) {
                if let violation = property.schema.violation(of: member, at: "\(path).\(key)") { return violation }
            } else if let additional {
                if let violation = additional.violation(of: member, at: "\(path).\(key)") { return violation }
            } else if !properties.isEmpty {
                let known = properties.map(\.name).joined(separator: ", ")
                return "\(path).\(key) is not a known member (known: \(known))"
            }
        }
        for property in properties where property.isRequired && object[property.name] == nil {
            return "\(path).\(property.name) is required"
        }
        return nil
    }
}

extension JSONNumber {
    /// The value as an `Int` when the text is an integer, including forms such as `5.0` or
    /// `5e2` that JSON producers emit for integral numbers; `nil` for fractions or overflow.
    var exactInteger: Int? {
        if let integer = Int(text) { return integer }
        guard let double = Double(text), double.isFinite, double == double.rounded(),
            let integer = Int(exactly: double)
        else { return nil }
        return integer
    }
}
