import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One readable line per entry on a descriptor, for a daemon started by hand or with
/// `log-target` `stderr`:
/// `2025-01-31T12:00:00.000Z info dialtone.server: call ended call.id=c1 reason=hangup`.
/// One writer at a time, so lines never interleave.
public final class StderrDestination: LogDestination {
    private let fd: Mutex<Int32>
    private let timestamps: Bool

    /// - Parameters:
    ///   - fd: where lines go; the destination does not close it.
    ///   - timestamps: start each line with the UTC time; off when the journal already stamps it.
    public init(fd: Int32, timestamps: Bool) {
        self.fd = Mutex(fd)
        self.timestamps = timestamps
    }

    /// Standard error, with timestamps unless it is connected to the journal (`JOURNAL_STREAM`).
    public static func standardError() -> StderrDestination {
        StderrDestination(fd: STDERR_FILENO, timestamps: !LogTarget.journalOwns(fd: STDERR_FILENO))
    }

    public func emit(event: LogEvent, label: String, metadata: Logger.Metadata) {
        let line = LogLine.format(
            event: event,
            label: label,
            metadata: metadata,
            timestamp: timestamps ? LogLine.utcTimestamp() : nil
        )
        fd.withLock { Self.writeAll(Array(line.utf8), to: $0) }
    }

    /// Writes until done; a failing stream drops the line, since logging must never stop the daemon.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if result > 0 {
                    written += result
                } else if result < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
