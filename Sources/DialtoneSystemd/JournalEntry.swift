import Logging

/// One log call as journal fields, in the order they are sent.
struct JournalEntry {
    struct Field: Equatable {
        var name: String
        var value: String
    }

    private(set) var fields: [Field]

    init(event: LogEvent, label: String, metadata: Logger.Metadata, identifier: String) {
        fields = [
            Field(name: "MESSAGE", value: event.message.description),
            Field(name: "PRIORITY", value: String(JournalField.priority(of: event.level))),
            Field(name: "SYSLOG_IDENTIFIER", value: identifier),
            Field(name: "CODE_FILE", value: event.file),
            Field(name: "CODE_LINE", value: String(event.line)),
            Field(name: "CODE_FUNC", value: event.function),
            Field(name: "LOGGER", value: label),
        ]
        if let error = event.error {
            fields.append(Field(name: "ERROR", value: "\(error)"))
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append(Field(name: JournalField.name(forMetadataKey: key), value: "\(value)"))
        }
    }

    /// `NAME=value` byte strings for `sd_journal_sendv`, which picks the binary-safe encoding for
    /// values with newlines itself.
    var assignments: [[UInt8]] {
        fields.map { Array($0.name.utf8) + [UInt8(ascii: "=")] + Array($0.value.utf8) }
    }
}
