import DialtoneSystemd

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Settings.ListenAddress {
    /// Whether only this machine can reach the address; see ``Settings/isLoopback(host:)``.
    public var isLoopback: Bool { Settings.isLoopback(host: host) }
}

extension Settings {
    /// Whether `host` is a loopback address: 127.0.0.0/8, `::1`, an IPv4-mapped 127.x address, or
    /// the name `localhost`. Any other name counts as remote, since it may resolve to anything;
    /// so do the wildcards `0.0.0.0` and `::`, which take every interface.
    public static func isLoopback(host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, host, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return Array(bytes[0..<12]) == mappedPrefix && bytes[12] == 127
    }
}

extension Settings {
    /// The listening sockets systemd passed, held to the rule `listen` is held to: with `auth none`
    /// each must be loopback (or a Unix socket) unless `allow-remote-without-auth` is set.
    ///
    /// - Throws: ``SettingsError`` naming each remote socket, before anything is served.
    func checkPassedListeners(_ descriptors: [ListenDescriptor]) throws(SettingsError) {
        guard case .none = auth, !allowRemoteWithoutAuth else { return }
        let remote = descriptors.map(\.localAddress).filter { !Self.isLocal(socketAddress: $0) }
        guard remote.isEmpty else {
            throw SettingsError(problems: remote.map { .remoteWithoutAuth("the socket systemd passed on \($0)") })
        }
    }

    /// Whether a socket address as ``ListenDescriptor/localAddress`` writes it (`127.0.0.1:80`,
    /// `[::1]:80`, a Unix path or `@abstract`) can only be reached from this machine. `?`, an
    /// address the kernel would not tell, counts as remote.
    static func isLocal(socketAddress text: String) -> Bool {
        if text.hasPrefix("/") || text.hasPrefix("@") { return true }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return isLoopback(host: String(text[text.index(after: text.startIndex)..<close]))
        }
        guard let colon = text.lastIndex(of: ":") else { return false }
        return isLoopback(host: String(text[..<colon]))
    }
}
