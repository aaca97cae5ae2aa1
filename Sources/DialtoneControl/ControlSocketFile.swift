#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The filesystem side of a control socket bound by path.
enum ControlSocketFile {
    /// Clears the way for binding `path`: a socket nobody accepts on (left by a daemon that
    /// died) is removed; a live socket or anything that is not a socket is refused.
    static func removeIfStale(_ path: String) throws(ControlServerError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return }
            throw .system("stat", path: path, errno: errno)
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path) }
        switch try probe(path) {
        case .listening:
            throw .inUse(path)
        case .refused:
            guard unlink(path) == 0 || errno == ENOENT else { throw .system("unlink", path: path, errno: errno) }
        }
    }

    private enum ProbeResult { case listening, refused }

    private static func probe(_ path: String) throws(ControlServerError) -> ProbeResult {
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw .system("socket", path: path, errno: errno) }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else { throw .system("connect", path: path, errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return .listening }
        // EAGAIN: a live listener whose backlog is full.
        if errno == EAGAIN { return .listening }
        if errno == ECONNREFUSED { return .refused }
        throw .system("connect", path: path, errno: errno)
    }

    /// Restricts a freshly bound socket to its owner and group (`mode`), and hands it to
    /// `group` when that group exists. Returns a warning when the group exists but cannot be
    /// given the socket (the daemon is neither root nor a member), which is not fatal.
    static func secure(_ path: String, mode: mode_t, group: String?) throws(ControlServerError) -> String? {
        guard chmod(path, mode) == 0 else { throw .system("chmod", path: path, errno: errno) }
        guard let group, let entry = getgrnam(group) else { return nil }
        guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else {
            return "cannot give control socket \(path) to group \(group): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// The inode of the socket file, to remove it at exit only if it is still ours.
    static func identity(_ path: String) -> (device: UInt64, inode: UInt64)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (UInt64(status.st_dev), UInt64(status.st_ino))
    }

    static func remove(_ path: String, ifStill identity: (device: UInt64, inode: UInt64)?) {
        guard let identity, let current = self.identity(path), current == identity else { return }
        unlink(path)
    }
}
