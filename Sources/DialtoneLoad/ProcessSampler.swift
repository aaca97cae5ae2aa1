#if canImport(Glibc)
import Glibc
#endif

/// Reads a process's memory and CPU time from /proc, and this process's own CPU time.
public struct ProcessSampler: Sendable {
    public let pid: Int32

    public init(pid: Int32) { self.pid = pid }

    /// VmRSS in KiB, nil when the process is gone.
    public func residentKilobytes() -> Int? {
        guard let status = Self.read("/proc/\(pid)/status") else { return nil }
        return Self.residentKilobytes(status: status)
    }

    /// User plus system CPU time in clock ticks, nil when the process is gone.
    public func cpuTicks() -> Int? {
        guard let stat = Self.read("/proc/\(pid)/stat") else { return nil }
        return Self.cpuTicks(stat: stat)
    }

    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`).
    public static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

    /// This process's user plus system CPU time in seconds.
    public static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func residentKilobytes(status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }

    /// Fields 14 and 15 (utime, stime), counted after the command name, which may hold spaces.
    static func cpuTicks(stat: String) -> Int? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state).
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    private static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
