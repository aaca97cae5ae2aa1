import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Structured journal entries: `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`,
/// `CODE_FILE`/`CODE_LINE`/`CODE_FUNC`, `LOGGER` (the label), `ERROR` when the call passed one,
/// and every metadata value under a valid field name (`dialtone.call.id` → `CALL_ID`, see
/// docs/systemd.md).
///
/// libsystemd keeps one datagram socket per process and sends to it from any thread, so no lock
/// is needed here. An entry the journal refuses goes to the fallback instead. Like every journal
/// client, a send waits while journald is too busy to take datagrams.
public final class JournalDestination: LogDestination {
    /// Sent as `SYSLOG_IDENTIFIER=`.
    public let identifier: String
    /// Whether journald's socket existed when the destination was made; without it every
    /// entry goes to the fallback, because libsystemd drops entries silently when it is missing.
    public let isJournalAvailable: Bool
    private let fallback: StderrDestination

    /// - Parameters:
    ///   - identifier: `SYSLOG_IDENTIFIER=`, what `journalctl -t` selects.
    ///   - fallback: where an entry goes when the journal cannot take it (journald stopped,
    ///     no journal in a container), so nothing is lost silently.
    public init(identifier: String = "dialtoned", fallback: StderrDestination = .standardError()) {
        self.identifier = identifier
        self.fallback = fallback
        var status = stat()
        self.isJournalAvailable = stat(Self.journalSocketPath, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }

    /// Where libsystemd sends journal entries.
    static let journalSocketPath = "/run/systemd/journal/socket"

    public func emit(event: LogEvent, label: String, metadata: Logger.Metadata) {
        guard isJournalAvailable else {
            fallback.emit(event: event, label: label, metadata: metadata)
            return
        }
        let entry = JournalEntry(event: event, label: label, metadata: metadata, identifier: identifier)
        if Self.sendv(entry.assignments) < 0 {
            fallback.emit(event: event, label: label, metadata: metadata)
        }
    }

    /// One `sd_journal_sendv` call over byte strings that live in a single buffer.
    private static func sendv(_ assignments: [[UInt8]]) -> Int32 {
        let bytes = assignments.flatMap { $0 }
        return bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            var vectors = assignments.map { assignment -> iovec in
                let start = UnsafeMutableRawPointer(mutating: buffer.baseAddress! + offset)
                offset += assignment.count
                return iovec(iov_base: start, iov_len: assignment.count)
            }
            return sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }
}
