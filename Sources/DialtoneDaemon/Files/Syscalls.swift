#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The POSIX calls the file code needs, retried on `EINTR` and reporting failures as ``FileError``.
enum Syscalls {
    static func openFile(_ path: String, _ flags: Int32, permissions: mode_t = 0) throws(FileError) -> Int32 {
        while true {
            let descriptor = path.withCString { open($0, flags, permissions) }
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw .open(path, code: errno) }
        }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(FileError) {
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw .write(path, code: failure) }
    }

    /// Everything in the file, or `nil` when there is no file at `path`.
    static func readAll(_ path: String) throws(FileError) -> [UInt8]? {
        let descriptor: Int32
        do {
            descriptor = try openFile(path, O_RDONLY | O_CLOEXEC)
        } catch  where error.code == ENOENT {
            return nil
        }
        defer { close(descriptor) }
        // Read straight into an array of the file's size: a history of tens of megabytes grown
        // chunk by chunk would be copied at every doubling. The loop below takes whatever the
        // size did not announce (a file that grew, or one whose size is unknown).
        var status = stat()
        let expected = fstat(descriptor, &status) == 0 ? max(0, Int(status.st_size)) : 0
        var failure: Int32 = 0
        var contents = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            while count < buffer.count {
                let got = read(descriptor, buffer.baseAddress! + count, buffer.count - count)
                if got > 0 {
                    count += got
                } else if got == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw .read(path, code: failure) }
        if contents.count <= expected { return contents }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count == 0 { return contents }
            if count < 0 {
                if errno == EINTR { continue }
                throw .read(path, code: errno)
            }
            contents.append(contentsOf: chunk[..<count])
        }
    }

    static func sync(_ descriptor: Int32, path: String) throws(FileError) {
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw .sync(path, code: errno) }
        }
    }

    /// Makes a rename, link or unlink inside `directory` durable.
    static func syncDirectory(_ directory: String) throws(FileError) {
        let descriptor: Int32
        do {
            descriptor = try openFile(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        } catch {
            throw .syncDirectory(directory, code: error.code)
        }
        defer { close(descriptor) }
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw .syncDirectory(directory, code: errno) }
        }
    }

    static func closeFile(_ descriptor: Int32, path: String) throws(FileError) {
        // After a failed close the descriptor is gone on Linux, so it must never be retried.
        if close(descriptor) != 0 && errno != EINTR { throw .close(path, code: errno) }
    }

    static func renameFile(_ path: String, to target: String) throws(FileError) {
        let result = path.withCString { from in target.withCString { to in rename(from, to) } }
        if result != 0 { throw .rename(path, to: target, code: errno) }
    }

    /// Gives `path` a second name; fails with `EEXIST` rather than replace anything at `target`.
    static func linkFile(_ path: String, to target: String) throws(FileError) {
        let result = path.withCString { from in target.withCString { to in link(from, to) } }
        if result != 0 { throw .link(path, to: target, code: errno) }
    }

    static func unlinkFile(_ path: String) throws(FileError) {
        if path.withCString({ unlink($0) }) != 0 { throw .remove(path, code: errno) }
    }

    /// Creates the directory `path` with exactly `permissions`, and any missing parents with the
    /// default mode the umask allows.
    static func createDirectory(_ path: String, permissions: mode_t) throws(FileError) {
        guard try makeDirectories(path, permissions: permissions) else { return }
        // mkdir applies the umask; the state directory's mode is part of the contract.
        if chmod(path, permissions) != 0 { throw .createDirectory(path, code: errno) }
    }

    /// Returns whether `path` was created (rather than found).
    private static func makeDirectories(_ path: String, permissions: mode_t) throws(FileError) -> Bool {
        var status = stat()
        if stat(path, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw .createDirectory(path, code: ENOTDIR) }
            return false
        }
        let parent = FilePaths.directory(of: path)
        if parent != path { _ = try makeDirectories(parent, permissions: 0o755) }
        if mkdir(path, permissions) != 0 {
            if errno == EEXIST { return false }
            throw .createDirectory(path, code: errno)
        }
        return true
    }
}
