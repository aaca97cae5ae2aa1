#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Settings {
    /// `$STATE_DIRECTORY` (set by systemd's `StateDirectory=`), else `$XDG_STATE_HOME/dialtone`,
    /// else `~/.local/state/dialtone`: the daemon runs without root and without a config.
    static func defaultStateDirectory(environment: [String: String]) -> (path: String, source: Source)? {
        // systemd separates several StateDirectory= entries with colons; the first is ours.
        if let directories = environment["STATE_DIRECTORY"],
            let first = directories.split(separator: ":").first
        {
            return (String(first), .derived(from: "STATE_DIRECTORY"))
        }
        // The XDG base directory specification says to ignore relative paths.
        if let stateHome = environment["XDG_STATE_HOME"], stateHome.hasPrefix("/") {
            return (FilePaths.join(stateHome, "dialtone"), .derived(from: "XDG_STATE_HOME"))
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return (FilePaths.join(home, ".local/state/dialtone"), .derived(from: "HOME"))
        }
        if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir {
            return (FilePaths.join(String(cString: directory), ".local/state/dialtone"), .builtIn)
        }
        return nil
    }

    /// `$RUNTIME_DIRECTORY/control.sock` (systemd's `RuntimeDirectory=`), else
    /// `$XDG_RUNTIME_DIR/dialtone/control.sock`, else `control.sock` in the state directory.
    static func defaultControlSocket(
        environment: [String: String],
        stateDirectory: String
    ) -> (path: String, source: Source) {
        if let directories = environment["RUNTIME_DIRECTORY"],
            let first = directories.split(separator: ":").first
        {
            return (FilePaths.join(String(first), "control.sock"), .derived(from: "RUNTIME_DIRECTORY"))
        }
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return (FilePaths.join(runtime, "dialtone/control.sock"), .derived(from: "XDG_RUNTIME_DIR"))
        }
        return (FilePaths.join(stateDirectory, "control.sock"), .builtIn)
    }
}
