import DialtoneJSON

/// The `rpc.discover` answer: an OpenRPC 1.3 document generated from the method table.
enum OpenRPCDocument {
    static func make(methods: [ControlMethod], version: String) -> JSON {
        [
            "openrpc": "1.3.2",
            "info": [
                "title": "dialtone control interface",
                "version": .string(version),
                "description": """
                JSON-RPC 2.0 over a Unix stream socket, one JSON value per line. Application errors \
                use codes -32000 and below with data.code from the dialtone contract. After \
                events.subscribe the server sends `event` notifications, and `lagged {dropped}` when \
                events had to be dropped for a slow reader.
                """,
            ],
            "methods": .array(methods.map(method)),
            "x-notifications": [
                [
                    "name": "event",
                    "summary": "A call or presence change, after events.subscribe.",
                    "params": [
                        "type": "object",
                        "properties": [
                            "type": ["type": "string", "enum": .array(ControlEvent.knownTypes.map(JSON.string))],
                            "time": ["type": "string", "format": "date-time"],
                        ],
                        "required": ["type", "time"],
                    ],
                ],
                [
                    "name": "lagged",
                    "summary": "Events were dropped because this subscriber read too slowly.",
                    "params": [
                        "type": "object",
                        "properties": ["dropped": ["type": "integer", "minimum": 1]],
                        "required": ["dropped"],
                    ],
                ],
            ],
        ]
    }

    private static func method(_ method: ControlMethod) -> JSON {
        var object: JSONObject = [
            "name": .string(method.name),
            "summary": .string(method.summary),
            "paramStructure": "either",
            "params": .array(method.params.map(contentDescriptor)),
            "result": ["name": .string(method.resultName), "schema": method.result.jsonSchema],
        ]
        let errors = ControlError.allCodes.filter { method.errors.contains($0.code) }
        if !errors.isEmpty {
            object["errors"] = .array(
                errors.map { error in
                    [
                        "code": .number(JSONNumber(error.rpcCode)),
                        "message": .string(error.code),
                        "data": ["code": .string(error.code)],
                    ]
                })
        }
        if method.isMutating {
            object["x-mutating"] = true
        }
        return .object(object)
    }

    private static func contentDescriptor(_ property: ControlSchema.Property) -> JSON {
        var descriptor: JSONObject = [
            "name": .string(property.name),
            "required": .bool(property.isRequired),
            "schema": property.schema.jsonSchema,
        ]
        if let summary = property.schema.summary { descriptor["summary"] = .string(summary) }
        return .object(descriptor)
    }
}
