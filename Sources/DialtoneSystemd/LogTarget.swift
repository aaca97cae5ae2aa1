import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `log-target` setting: where dialtoned's log goes.
public enum LogTarget: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The journal when systemd connected stderr to it (`JOURNAL_STREAM`), stderr otherwise.
    case auto
    /// Structured journal entries, falling back to stderr for an entry the journal refuses.
    case journal
    /// Readable lines on stderr.
    case stderr

    public var description: String { rawValue }

    /// `journal` or `stderr`: what this target means for this process.
    public func resolved() -> LogTarget {
        switch self {
        case .auto: return Self.journalOwns(fd: STDERR_FILENO) ? .journal : .stderr
        case .journal, .stderr: return self
        }
    }

    /// A handler factory for `LoggingSystem.bootstrap` or `Logger(label:factory:)`; every handler
    /// it makes follows `level` and shares one destination.
    public func makeLogHandlerFactory(
        level: SharedLogLevel,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> @Sendable (String) -> any LogHandler {
        let standardError = StderrDestination.standardError()
        switch resolved() {
        case .journal:
            let journal = JournalDestination(fallback: standardError)
            return { DestinationLogHandler(label: $0, destination: journal, level: level, metadataProvider: metadataProvider) }
        case .auto, .stderr:
            return {
                DestinationLogHandler(label: $0, destination: standardError, level: level, metadataProvider: metadataProvider)
            }
        }
    }

    /// Whether systemd connected `fd` to the journal: `JOURNAL_STREAM` holds the `device:inode` of
    /// the stream it passed, and `fd` is still that stream (not redirected by a wrapper script).
    static func journalOwns(fd: Int32) -> Bool {
        journalOwns(fd: fd, journalStream: getenv("JOURNAL_STREAM").map { String(cString: $0) })
    }

    static func journalOwns(fd: Int32, journalStream: String?) -> Bool {
        guard let journalStream else { return false }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
