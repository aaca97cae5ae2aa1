import ArgumentParser
import DialtoneJSON

/// Why a dialtonectl command failed, with the exit code scripts can branch on.
struct CtlError: Error, CustomStringConvertible {
    private enum Kind {
        case daemonNotRunning(path: String, reason: String)
        case permissionDenied(path: String)
        case connection(path: String, reason: String)
        case daemon(code: Int, message: String, data: JSON?)
        case badReply(String)
        case closed
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    static func daemonNotRunning(_ path: String, reason: String) -> CtlError {
        CtlError(.daemonNotRunning(path: path, reason: reason))
    }

    static func permissionDenied(_ path: String) -> CtlError { CtlError(.permissionDenied(path: path)) }

    static func connection(_ path: String, reason: String) -> CtlError {
        CtlError(.connection(path: path, reason: reason))
    }

    /// A JSON-RPC error answer from the daemon.
    static func daemon(code: Int, message: String, data: JSON?) -> CtlError {
        CtlError(.daemon(code: code, message: message, data: data))
    }

    static func badReply(_ detail: String) -> CtlError { CtlError(.badReply(detail)) }

    /// The daemon closed the connection before answering.
    static let closed = CtlError(.closed)

    /// Exit codes: 1 any other error the daemon reports, 3 call not found, 69 daemon not
    /// running, 76 unreadable answer, 77 permission denied (sysexits.h where it has one).
    var exitCode: ExitCode {
        switch kind {
        case .daemonNotRunning: ExitCode(69)
        case .permissionDenied: ExitCode(77)
        case .connection: ExitCode(69)
        case .daemon(_, _, let data) where data?["code"]?.stringValue == "call_not_found": ExitCode(3)
        case .daemon: ExitCode(1)
        case .badReply, .closed: ExitCode(76)
        }
    }

    var description: String {
        switch kind {
        case .daemonNotRunning(let path, let reason):
            "dialtoned is not running (nothing listens on \(path): \(reason)); use --socket or DIALTONE_CONTROL_SOCKET if it uses another socket"
        case .permissionDenied(let path):
            "permission denied on \(path); run as root or as a member of the dialtone group"
        case .connection(let path, let reason):
            "cannot connect to \(path): \(reason)"
        case .daemon(let code, let message, let data):
            if let wireCode = data?["code"]?.stringValue { "\(message) (\(wireCode))" } else { "\(message) (\(code))" }
        case .badReply(let detail):
            "unreadable answer from dialtoned: \(detail)"
        case .closed:
            "dialtoned closed the connection"
        }
    }
}
