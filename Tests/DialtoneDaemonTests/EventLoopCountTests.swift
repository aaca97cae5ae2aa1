import Foundation
import Testing

@testable import DialtoneDaemon

@Suite("Settings: event loops")
struct EventLoopCountTests {
    /// The kernel's own account of the affinity mask, read independently of `sched_getaffinity`.
    private static func allowedCPUsFromProc() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
        let list = line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces)
        return try list.split(separator: ",").reduce(0) { total, range in
            let bounds = try range.split(separator: "-").map { try #require(Int($0)) }
            return total + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
        }
    }

    @Test("0 starts one loop per CPU of the affinity mask")
    func automatic() throws {
        let settings = try loadSettings()
        #expect(settings.eventLoops == 0)
        #expect(settings.eventLoopCount == (try Self.allowedCPUsFromProc()))
    }

    @Test("a count given is used as it is")
    func explicit() throws {
        let settings = try loadSettings(options: [.eventLoops: ["3"]])
        #expect(settings.eventLoopCount == 3)
    }
}
