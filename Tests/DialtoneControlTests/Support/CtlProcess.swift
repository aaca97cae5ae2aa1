import Foundation

/// Runs the built `dialtonectl` as a real process.
enum CtlProcess {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Next to the test bundle in `.build/<configuration>/`, unless `DIALTONECTL_BIN` says otherwise.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["DIALTONECTL_BIN"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("dialtonectl")
    }

    /// Runs `dialtonectl arguments…` (through `prefix`, such as `setpriv …`, when given) and
    /// waits for it to exit.
    static func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        prefix: [String] = []
    ) async throws -> Outcome {
        let process = Process()
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestFailure("dialtonectl is not built at \(executable.path); run swift build first")
        }
        if let command = prefix.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(prefix.dropFirst()) + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        var merged = ProcessInfo.processInfo.environment
        merged["DIALTONE_CONTROL_SOCKET"] = nil
        merged.merge(environment) { $1 }
        process.environment = merged
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in exited.continuation.finish() }
        try process.run()
        async let output = readAll(stdout.fileHandleForReading)
        async let errors = readAll(stderr.fileHandleForReading)
        for await _ in exited.stream {}
        return Outcome(status: process.terminationStatus, stdout: await output, stderr: await errors)
    }

    /// Reads to end of file on a dispatch thread, so the wait blocks none of Swift's
    /// cooperative threads (the server under test needs them).
    static func readAll(_ handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: String(decoding: handle.readDataToEndOfFile(), as: UTF8.self))
            }
        }
    }
}
