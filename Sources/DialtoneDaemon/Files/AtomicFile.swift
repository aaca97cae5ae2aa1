#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces whole files so that a crash or a full disk at any moment leaves either the old
/// content or the new one, never a truncated mix.
public enum AtomicFile {
    /// Writes `bytes` to a new temporary file beside `path`, flushes it to disk, renames it over
    /// `path` and flushes the directory.
    ///
    /// - Parameter permissions: The mode of the new file, applied exactly (the umask is ignored).
    /// - Throws: ``FileError`` naming the path and the system's reason. On error the temporary
    ///   file is removed and whatever was at `path` is left as it was.
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o640) throws(FileError) {
        let directory = FilePaths.directory(of: path)
        let (descriptor, temporaryPath) = try createTemporaryFile(beside: path, permissions: permissions)
        do throws(FileError) {
            if fchmod(descriptor, permissions) != 0 { throw FileError.open(temporaryPath, code: errno) }
            try Syscalls.writeAll(bytes, to: descriptor, path: temporaryPath)
            try Syscalls.sync(descriptor, path: temporaryPath)
        } catch {
            close(descriptor)
            try? Syscalls.unlinkFile(temporaryPath)
            throw error
        }
        do throws(FileError) {
            try Syscalls.closeFile(descriptor, path: temporaryPath)
            try Syscalls.renameFile(temporaryPath, to: path)
        } catch {
            try? Syscalls.unlinkFile(temporaryPath)
            throw error
        }
        try Syscalls.syncDirectory(directory)
    }

    /// `O_EXCL` so two writers, or a stale file from a crash, can never share a temporary file.
    private static func createTemporaryFile(
        beside path: String,
        permissions: mode_t
    ) throws(FileError) -> (descriptor: Int32, path: String) {
        let directory = FilePaths.directory(of: path)
        let name = FilePaths.name(of: path)
        var attempt = 0
        while true {
            let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
            let temporaryPath = FilePaths.join(directory, ".\(name).tmp-\(getpid())-\(suffix)")
            do {
                let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
                return (try Syscalls.openFile(temporaryPath, flags, permissions: permissions), temporaryPath)
            } catch  where error.code == EEXIST && attempt < 16 {
                attempt += 1
            }
        }
    }
}
