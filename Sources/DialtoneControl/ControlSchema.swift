import DialtoneJSON

/// A JSON Schema (draft 7 subset) for one parameter or result. The dispatcher validates
/// params with it and `rpc.discover` publishes it, so the two cannot drift apart.
public struct ControlSchema: Sendable {
    /// One member of an object schema.
    public struct Property: Sendable {
        public let name: String
        public let schema: ControlSchema
        public let isRequired: Bool

        public static func required(_ name: String, _ schema: ControlSchema) -> Property {
            Property(name: name, schema: schema, isRequired: true)
        }

        public static func optional(_ name: String, _ schema: ControlSchema) -> Property {
            Property(name: name, schema: schema, isRequired: false)
        }
    }

    indirect enum Kind: Sendable {
        case string(allowed: [String]?, format: StringFormat?, maxLength: Int?)
        case integer(minimum: Int?, maximum: Int?)
        case number
        case boolean
        case array(items: ControlSchema, minItems: Int)
        case object(properties: [Property], additionalProperties: ControlSchema?)
        case nullable(ControlSchema)
        case anyOf([ControlSchema])
        case any
    }

    enum StringFormat: String, Sendable {
        case dateTime = "date-time"
    }

    let kind: Kind
    /// What the value means, for people reading the OpenRPC document.
    public let summary: String?

    init(_ kind: Kind, _ summary: String? = nil) {
        self.kind = kind
        self.summary = summary
    }

    public static func string(_ summary: String? = nil, maxLength: Int? = nil) -> ControlSchema {
        ControlSchema(.string(allowed: nil, format: nil, maxLength: maxLength), summary)
    }

    public static func oneOf(_ allowed: [String], _ summary: String? = nil) -> ControlSchema {
        ControlSchema(.string(allowed: allowed, format: nil, maxLength: nil), summary)
    }

    /// An ISO-8601 / RFC 3339 timestamp such as `2024-05-01T12:00:00Z`.
    public static func dateTime(_ summary: String? = nil) -> ControlSchema {
        ControlSchema(.string(allowed: nil, format: .dateTime, maxLength: nil), summary)
    }

    public static func integer(_ summary: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> ControlSchema {
        ControlSchema(.integer(minimum: minimum, maximum: maximum), summary)
    }

    public static func number(_ summary: String? = nil) -> ControlSchema {
        ControlSchema(.number, summary)
    }

    public static func boolean(_ summary: String? = nil) -> ControlSchema {
        ControlSchema(.boolean, summary)
    }

    public static func array(of items: ControlSchema, minItems: Int = 0, _ summary: String? = nil) -> ControlSchema {
        ControlSchema(.array(items: items, minItems: minItems), summary)
    }

    /// An object with known members; `additionalProperties` describes any others (for maps).
    public static func object(
        _ properties: [Property],
        additionalProperties: ControlSchema? = nil,
        _ summary: String? = nil
    ) -> ControlSchema {
        ControlSchema(.object(properties: properties, additionalProperties: additionalProperties), summary)
    }

    public static func nullable(_ schema: ControlSchema) -> ControlSchema {
        ControlSchema(.nullable(schema), schema.summary)
    }

    /// A value matching at least one of `schemas`.
    public static func anyOf(_ schemas: [ControlSchema], _ summary: String? = nil) -> ControlSchema {
        ControlSchema(.anyOf(schemas), summary)
    }

    /// Any JSON value.
    public static func any(_ summary: String? = nil) -> ControlSchema {
        ControlSchema(.any, summary)
    }
}
