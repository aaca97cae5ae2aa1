import Logging

/// Journal field names: what dialtone sends itself, and how a swift-log metadata key becomes one.
enum JournalField {
    /// Fields whose meaning journald or journalctl fix (systemd.journal-fields(7)) or that the
    /// handler sets itself; a metadata key that would produce one gets `META_` in front instead.
    static let reserved: Set<String> = [
        "MESSAGE", "MESSAGE_ID", "PRIORITY", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "ERRNO",
        "INVOCATION_ID", "USER_INVOCATION_ID", "SYSLOG_FACILITY", "SYSLOG_IDENTIFIER", "SYSLOG_PID",
        "SYSLOG_TIMESTAMP", "SYSLOG_RAW", "DOCUMENTATION", "TID", "UNIT", "USER_UNIT", "LOGGER", "ERROR",
    ]

    static let maximumLength = 64
    private static let dialtonePrefix = "dialtone."

    /// `dialtone.call.id` → `CALL_ID`, `http.status` → `HTTP_STATUS`: the `dialtone.` prefix dropped,
    /// letters upper-cased, anything outside `A-Z 0-9 _` replaced by `_`, leading `_` removed
    /// (journald keeps those for trusted fields), at most 64 characters, never starting with a digit.
    static func name(forMetadataKey key: String) -> String {
        let local = key.hasPrefix(dialtonePrefix) ? String(key.dropFirst(dialtonePrefix.count)) : key
        var name = String(
            local.unicodeScalars.map { scalar -> Character in
                switch scalar {
                case "A"..."Z", "0"..."9", "_": return Character(scalar)
                case "a"..."z": return Character(scalar.properties.uppercaseMapping)
                default: return "_"
                }
            }
        )
        name = String(name.drop { $0 == "_" })
        if name.isEmpty {
            name = "META"
        } else if ("0"..."9").contains(name.first!) || reserved.contains(name) {
            name = "META_" + name
        }
        return String(name.prefix(maximumLength))
    }

    /// The rules journald applies before it keeps a field a client sent.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maximumLength else { return false }
        guard first != UInt8(ascii: "_"), !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }

    /// syslog(3) priorities, as journalctl colours and filters them (`-p`).
    static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}
