#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed file-system call, with the path it was about and the system's own words for why
/// (`No space left on device`, `Read-only file system`, ...).
public struct FileError: Error, Equatable, CustomStringConvertible {
    private enum Operation: Equatable {
        case open
        case read
        case write
        case sync
        case close
        case rename(to: String)
        case link(to: String)
        case remove
        case createDirectory
        case syncDirectory
    }

    private let operation: Operation
    /// The file or directory the failed call was about.
    public let path: String
    /// The `errno` the call failed with.
    public let code: Int32

    private init(_ operation: Operation, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    static func open(_ path: String, code: Int32 = errno) -> FileError { FileError(.open, path: path, code: code) }
    static func read(_ path: String, code: Int32 = errno) -> FileError { FileError(.read, path: path, code: code) }
    static func write(_ path: String, code: Int32 = errno) -> FileError { FileError(.write, path: path, code: code) }
    static func sync(_ path: String, code: Int32 = errno) -> FileError { FileError(.sync, path: path, code: code) }
    static func close(_ path: String, code: Int32 = errno) -> FileError { FileError(.close, path: path, code: code) }
    static func remove(_ path: String, code: Int32 = errno) -> FileError { FileError(.remove, path: path, code: code) }

    static func rename(_ path: String, to target: String, code: Int32 = errno) -> FileError {
        FileError(.rename(to: target), path: path, code: code)
    }

    static func link(_ path: String, to target: String, code: Int32 = errno) -> FileError {
        FileError(.link(to: target), path: path, code: code)
    }

    static func createDirectory(_ path: String, code: Int32 = errno) -> FileError {
        FileError(.createDirectory, path: path, code: code)
    }

    static func syncDirectory(_ path: String, code: Int32 = errno) -> FileError {
        FileError(.syncDirectory, path: path, code: code)
    }

    /// The system's message for ``code``.
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        switch operation {
        case .open: "cannot open \(path): \(reason)"
        case .read: "cannot read \(path): \(reason)"
        case .write: "cannot write \(path): \(reason)"
        case .sync: "cannot flush \(path) to disk: \(reason)"
        case .close: "cannot close \(path): \(reason)"
        case .rename(let target): "cannot rename \(path) to \(target): \(reason)"
        case .link(let target): "cannot link \(path) to \(target): \(reason)"
        case .remove: "cannot remove \(path): \(reason)"
        case .createDirectory: "cannot create directory \(path): \(reason)"
        case .syncDirectory: "cannot flush directory \(path) to disk: \(reason)"
        }
    }
}
