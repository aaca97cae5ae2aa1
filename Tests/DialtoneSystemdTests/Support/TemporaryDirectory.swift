import Foundation

/// A fresh directory under /tmp, short enough for Unix socket paths, removed when released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/dialtone-systemd-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: created)
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Creates the empty file `name` and returns its path.
    @discardableResult
    func touch(_ name: String) throws -> String {
        let fd = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        close(fd)
        return file(name)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
