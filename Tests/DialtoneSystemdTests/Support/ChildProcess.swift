import Foundation

/// A process started for a test, with stdout and stderr captured in files (no pipe can fill up
/// and stall it) and a bounded wait for its end.
struct ChildProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    struct TimedOut: Error, CustomStringConvertible {
        var command: String
        var description: String { "\(command) did not exit in time and was killed" }
    }

    private let process = Process()
    private let output: TemporaryDirectory
    /// Path of the file the child's stderr goes to.
    let stderrPath: String

    /// The directory next to this test binary, where SwiftPM puts the probe executable.
    static let probePath: String = {
        let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("systemd-probe").path
    }()

    /// Enough of a PATH for `sh -c` scripts; children get no other inherited variable.
    static let searchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// - Parameter stderrPath: an existing file for stderr; a new one when nil.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stderrPath: String? = nil) throws {
        output = try TemporaryDirectory()
        self.stderrPath = stderrPath ?? output.file("stderr")
        try output.touch("stdout")
        if stderrPath == nil { try output.touch("stderr") }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: output.file("stdout"))
        process.standardError = FileHandle(forWritingAtPath: self.stderrPath)
        try process.run()
    }

    var processIdentifier: Int32 { process.processIdentifier }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the child to exit; kills it and throws if it takes longer than `timeout`.
    func finish(within timeout: Duration = .seconds(30)) async throws -> Result {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TimedOut(command: ([process.executableURL?.path ?? ""] + (process.arguments ?? [])).joined(separator: " "))
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let stdout = (try? String(contentsOfFile: output.file("stdout"), encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Starts, waits, returns: for children that need nothing from the test while they run.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        try await ChildProcess(executable, arguments, environment: environment).finish()
    }
}
