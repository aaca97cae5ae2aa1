#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The CPUs this process may run on.
enum UsableCPUs {
    /// The size of the process's CPU affinity mask: what `taskset` or systemd's `CPUAffinity=`
    /// leave it. NIO's `System.coreCount` reads the cgroup cpuset or the online CPUs instead, so a
    /// daemon pinned to one core would start two event loops there and hop between them on every
    /// message relayed across them. Falls back to `System.coreCount` where the mask is unreadable.
    static var count: Int {
        #if os(Linux)
        var set = cpu_set_t()
        if let getAffinity = schedGetAffinity, getAffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 {
            let count = withUnsafeBytes(of: &set) { mask in mask.reduce(0) { $0 + $1.nonzeroBitCount } }
            if count > 0 { return count }
        }
        #endif
        return System.coreCount
    }

    #if os(Linux)
    private typealias SchedGetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> CInt

    /// glibc's `sched_getaffinity`, which Swift's Glibc module leaves out (it is a GNU extension).
    private static let schedGetAffinity: SchedGetAffinity? =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity").map {
            unsafeBitCast($0, to: SchedGetAffinity.self)
        }
    #endif
}

extension Settings {
    /// The event loops to start: `event-loops`, or one per usable CPU when it is 0.
    var eventLoopCount: Int {
        eventLoops > 0 ? eventLoops : UsableCPUs.count
    }
}
