import Foundation
import Testing

/// The units in packaging/systemd, checked by systemd's own offline tools in a scratch root that
/// holds Debian's system units, the units under test and stand-ins for the binaries they run.
@Suite struct UnitFileTests {
    static let packaging = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("packaging/systemd").path
    static let units = ["dialtone.service", "dialtone.socket", "dialtone-control.socket"]

    /// A root with /usr/lib/systemd/system from this machine, our units in /etc/systemd/system
    /// and executables at the paths the units name.
    func scratchRoot() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory()
        let files = FileManager.default
        try files.createDirectory(atPath: root.file("usr/lib/systemd"), withIntermediateDirectories: true)
        try files.copyItem(atPath: "/usr/lib/systemd/system", toPath: root.file("usr/lib/systemd/system"))
        try files.createDirectory(atPath: root.file("etc/systemd/system"), withIntermediateDirectories: true)
        for unit in Self.units {
            try files.copyItem(atPath: Self.packaging + "/" + unit, toPath: root.file("etc/systemd/system/" + unit))
        }
        for executable in ["usr/bin/dialtoned", "bin/kill"] {
            try files.createDirectory(atPath: root.file((executable as NSString).deletingLastPathComponent), withIntermediateDirectories: true)
            try files.copyItem(atPath: "/bin/true", toPath: root.file(executable))
        }
        return root
    }

    @Test func unitsVerifyWithoutAnyDiagnostic() async throws {
        let root = try scratchRoot()
        let result = try await ChildProcess.run(
            "/usr/bin/systemd-analyze",
            ["verify", "--root=\(root.path)"] + Self.units.map { root.file("etc/systemd/system/" + $0) }
        )
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
    }

    @Test func exposureScoreStaysLow() async throws {
        let root = try scratchRoot()
        let result = try await ChildProcess.run(
            "/usr/bin/systemd-analyze",
            ["security", "--offline=true", "--root=\(root.path)", root.file("etc/systemd/system/dialtone.service")]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(result.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let score = try #require(summary.split(separator: " ").compactMap { Double($0) }.first, "\(summary)")
        // systemd rates up to 2.0 "OK"; 1.1 when written (host network and address families stay open).
        #expect(score <= 2.0, "\(summary)")
    }

    @Test func tmpfilesAndSysusersMakeTheControlSocketDirectory() async throws {
        let root = try TemporaryDirectory()
        let files = FileManager.default
        for directory in ["etc", "run", "usr/lib/sysusers.d", "usr/lib/tmpfiles.d"] {
            try files.createDirectory(atPath: root.file(directory), withIntermediateDirectories: true)
        }
        try files.copyItem(atPath: Self.packaging + "/dialtone.sysusers", toPath: root.file("usr/lib/sysusers.d/dialtone.conf"))
        try files.copyItem(atPath: Self.packaging + "/dialtone.tmpfiles", toPath: root.file("usr/lib/tmpfiles.d/dialtone.conf"))

        let sysusers = try await ChildProcess.run(
            "/usr/bin/systemd-sysusers", ["--root=\(root.path)", root.file("usr/lib/sysusers.d/dialtone.conf")]
        )
        #expect(sysusers.status == 0, "\(sysusers.stderr)")
        let group = try String(contentsOfFile: root.file("etc/group"), encoding: .utf8)
        let dialtoneGroup = try #require(group.split(separator: "\n").first { $0.hasPrefix("dialtone:") })
        let gid = try #require(dialtoneGroup.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first.flatMap { UInt32($0) })
        let passwd = try String(contentsOfFile: root.file("etc/passwd"), encoding: .utf8)
        #expect(passwd.split(separator: "\n").contains { $0.hasPrefix("dialtone:x:") && $0.hasSuffix(":/var/lib/dialtone:/usr/sbin/nologin") })

        let tmpfiles = try await ChildProcess.run(
            "/usr/bin/systemd-tmpfiles", ["--root=\(root.path)", "--create", root.file("usr/lib/tmpfiles.d/dialtone.conf")]
        )
        #expect(tmpfiles.status == 0, "\(tmpfiles.stderr)")
        var status = stat()
        try #require(stat(root.file("run/dialtone"), &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFDIR)
        #expect(status.st_mode & 0o7777 == 0o750)
        #expect(status.st_uid == 0)
        #expect(status.st_gid == gid)
    }
}
