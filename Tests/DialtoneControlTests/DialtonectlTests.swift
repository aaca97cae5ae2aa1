import DialtoneJSON
import Foundation
import Testing

/// `dialtonectl` as a real process against the real server with a test backend.
@Suite(.timeLimit(.minutes(1))) struct DialtonectlTests {
    /// The column where `header` starts in the first line, and the same offset on other lines.
    private func columnStart(_ header: String, in lines: [Substring]) throws -> Int {
        let range = try #require(lines.first?.range(of: header))
        return lines[0].distance(from: lines[0].startIndex, to: range.lowerBound)
    }

    @Test func statusForPeopleAndForScripts() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            let table = try await CtlProcess.run(["status", "--socket", path])
            #expect(table.status == 0)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("connectedUsers ") && $0.hasSuffix(" 2") })
            #expect(lines.contains { $0.hasPrefix("callsByEndReason.hangup ") && $0.hasSuffix(" 1") })
            // Values start in one column.
            let valueColumns = Set(
                lines.map { line in line.distance(from: line.startIndex, to: line.lastIndex(of: " ")!) })
            #expect(valueColumns.count >= 1)
            let keyWidth = lines.map { $0.prefix { $0 != " " }.count }.max()!
            #expect(lines.allSatisfy { $0.dropFirst(keyWidth).hasPrefix("  ") })
            let json = try await CtlProcess.run(["status", "--json"], environment: ["DIALTONE_CONTROL_SOCKET": path])
            #expect(json.status == 0)
            #expect(try JSON(parsing: json.stdout) == backend.status())
        }
    }

    @Test func callsAreAnAlignedTable() async throws {
        try await withControlServer { path in
            let run = try await CtlProcess.run(["calls", "--socket", path])
            #expect(run.status == 0)
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("CALL ID "))
            for header in ["STATE", "FROM", "TO", "MEDIA", "CREATED", "ANSWERED"] {
                let column = try columnStart(header, in: lines)
                for row in lines.dropFirst() {
                    let cellStart = row.index(row.startIndex, offsetBy: column)
                    #expect(row[row.index(before: cellStart)] == " ", "\(header) in \(row)")
                    #expect(row[cellStart] != " ", "\(header) in \(row)")
                }
            }
            #expect(
                lines[1].contains("call_1700000000000_aaaa") && lines[1].contains("active") && lines[1].contains("bob"))
            let ringing = try await CtlProcess.run(["calls", "--state", "ringing", "--socket", path, "--json"])
            let calls = try JSON(parsing: ringing.stdout)["calls"]?.arrayValue
            #expect(calls?.compactMap { $0["callId"]?.stringValue } == ["call_1700000000001_bbbb"])
        }
    }

    @Test func everyCommandSpeaksToItsMethod() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            func run(_ arguments: String...) async throws -> String {
                let outcome = try await CtlProcess.run(arguments + ["--socket", path])
                #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
                return outcome.stdout
            }
            #expect(try await run("call", "call_1690000000000_old").contains("endReason"))
            #expect(try await run("users").split(separator: "\n").first?.hasPrefix("USER ") == true)
            #expect(try await run("history", "--user", "alice", "--since", "2d", "--limit", "5").contains("42s"))
            #expect(try await run("stats", "--since", "2023-01-01").contains("averageDurationSeconds"))
            #expect(
                try await run("end", "call_1700000000001", "--reason", "test")
                    == "ended call_1700000000001_bbbb after 7s\n")
            #expect(try await run("kick", "bob") == "disconnected bob (1 device(s))\n")
            #expect(
                try await run("notify", "alice", "announce", #"{"text":"hi"}"#)
                    == "sent announce to alice (2 device(s))\n")
            #expect(try await run("save") == "history saved to /tmp/history.json (1 calls)\n")
            #expect(try await run("log-level", "debug") == "log level debug (was info)\n")
            #expect(try await run("reload") == "configuration reloaded; changed: ring-timeout\n")
            let discovered = try JSON(parsing: try await run("raw", "rpc.discover"))
            #expect(discovered["openrpc"] == "1.3.2")
        }
        backend.state.withLock { state in
            #expect(state.ended.map(\.note) == ["test"])
            #expect(state.notified.first?.data == ["text": "hi"])
            #expect(state.historyQueries.first?.userId == "alice")
            #expect(state.historyQueries.first?.limit == 5)
            #expect(state.historyQueries.first?.since != nil)
        }
    }

    @Test func exitCodesTellFailuresApart() async throws {
        try await withControlServer { path in
            let notFound = try await CtlProcess.run(["call", "nope", "--socket", path])
            #expect(notFound.status == 3)
            #expect(notFound.stderr.contains("call nope not found (call_not_found)"))
            let rawNotFound = try await CtlProcess.run(["raw", "calls.get", #"{"callId":"x"}"#, "--socket", path])
            #expect(rawNotFound.status == 3)
            let offline = try await CtlProcess.run(["kick", "zed", "--socket", path])
            #expect(offline.status == 1)
            #expect(offline.stderr.contains("user_offline"))
            let badJSON = try await CtlProcess.run(["notify", "alice", "x", "{nope", "--socket", path])
            #expect(badJSON.status == 64)
            let unknownMethod = try await CtlProcess.run(["raw", "no.such", "--socket", path])
            #expect(unknownMethod.status == 1)
            #expect(unknownMethod.stderr.contains("-32601"))
        }
        let directory = try makeSocketDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = try await CtlProcess.run(["status", "--socket", directory + "/none.sock"])
        #expect(missing.status == 69)
        #expect(missing.stderr.contains("dialtoned is not running"))
    }

    @Test func permissionDenied() async throws {
        try await withControlServer { path in
            let outcome: CtlProcess.Outcome
            if getuid() == 0 {
                // Root passes every permission check, so ask as nobody.
                let directory = (path as NSString).deletingLastPathComponent
                chmod(directory, 0o755)
                outcome = try await CtlProcess.run(
                    ["status", "--socket", path],
                    prefix: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            } else {
                chmod(path, 0)
                outcome = try await CtlProcess.run(["status", "--socket", path])
            }
            #expect(outcome.status == 77)
            #expect(outcome.stderr.contains("permission denied"))
        }
    }

    @Test func watchFollowsEventsUntilInterrupted() async throws {
        let backend = TestBackend()
        try await withControlServer(backend: backend) { path in
            let process = Process()
            process.executableURL = CtlProcess.executable
            process.arguments = ["watch", "--type", "call", "--socket", path, "--json"]
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            let exited = AsyncStream<Void>.makeStream()
            process.terminationHandler = { _ in exited.continuation.finish() }
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            // The subscription starts when watch has connected; publish until an event shows.
            let publisher = Task {
                while !Task.isCancelled {
                    backend.emit("user.online", ["filtered": true])
                    backend.emit("call.ringing", ["callId": "c1"])
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let firstLine = await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    var bytes: [UInt8] = []
                    while true {
                        let byte = stdout.fileHandleForReading.readData(ofLength: 1)
                        if byte.isEmpty || byte.first == UInt8(ascii: "\n") { break }
                        bytes.append(contentsOf: byte)
                    }
                    continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                }
            }
            publisher.cancel()
            let event = try JSON(parsing: firstLine)
            #expect(event["method"] == "event")
            #expect(event["params"]?["type"] == "call.ringing")
            #expect(event["params"]?["callId"] == "c1")
            process.interrupt()
            for await _ in exited.stream {}
            #expect(process.terminationReason == .uncaughtSignal)
        }
    }

    @Test func completionScripts() async throws {
        for shell in ["bash", "zsh", "fish"] {
            let outcome = try await CtlProcess.run(["--generate-completion-script", shell])
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains("dialtonectl"))
            #expect(outcome.stdout.contains("log-level"))
        }
    }
}
