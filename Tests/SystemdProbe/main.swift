// A child process for DialtoneSystemdTests: each mode exercises one part of DialtoneSystemd in an
// environment that systemd tools (or the test) set up, and reports on stdout.
import DialtoneSystemd
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func say(_ line: String) {
    print(line)
    fflush(nil)
}

func fail(_ message: String) -> Never {
    let text = Array("systemd-probe: \(message)\n".utf8)
    _ = write(STDERR_FILENO, text, text.count)
    exit(1)
}

final class Countdown: Sendable {
    private let remaining: Atomic<Int>
    init(_ count: Int) { remaining = Atomic(count) }
    /// True for the call that reaches zero.
    func tick() -> Bool { remaining.subtract(1, ordering: .relaxed).newValue == 0 }
}

func environmentValue(_ name: String) -> String {
    getenv(name).map { String(cString: $0) } ?? "(unset)"
}

/// Adopts every passed listener with NIO, as the daemon does, and answers one connection on each
/// with "<name> <fd>" so the test sees which descriptor served it.
func listen() async throws {
    let listeners: SystemdListeners
    do {
        listeners = try SystemdListeners.fromEnvironment()
    } catch {
        fail("\(error)")
    }
    let descriptors = listeners.http + listeners.control
    for descriptor in descriptors {
        say("\(descriptor.name.rawValue) \(descriptor.fd) \(descriptor.localAddress)")
    }
    say("env LISTEN_FDS=\(environmentValue("LISTEN_FDS")) LISTEN_PID=\(environmentValue("LISTEN_PID")) LISTEN_FDNAMES=\(environmentValue("LISTEN_FDNAMES"))")
    guard !descriptors.isEmpty else { return }

    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let served = group.next().makePromise(of: Void.self)
    let remaining = Countdown(descriptors.count)
    var channels: [any Channel] = []
    for descriptor in descriptors {
        let reply = "\(descriptor.name.rawValue) \(descriptor.fd)\n"
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { child in
                child.writeAndFlush(ByteBuffer(string: reply)).flatMap { child.close() }.whenComplete { _ in
                    if remaining.tick() { served.succeed() }
                }
                return child.eventLoop.makeSucceededVoidFuture()
            }
            .withBoundSocket(descriptor.fd)
            .get()
        channels.append(channel)
    }
    try await served.futureResult.get()
    for channel in channels { try await channel.close() }
    try await group.shutdownGracefully()
}

/// Sends the notifications named by the arguments, in order: ready, ready:STATUS, status:TEXT,
/// reloading, stopping, watchdog.
func notify(_ steps: ArraySlice<String>) {
    let notifier = SystemdNotifier()
    say(notifier.isEnabled ? "enabled" : "disabled")
    for step in steps {
        let (verb, argument) = step.firstIndex(of: ":").map { (String(step[..<$0]), String(step[step.index(after: $0)...])) }
            ?? (step, nil)
        switch verb {
        case "ready": notifier.ready(status: argument)
        case "status": notifier.status(argument ?? "")
        case "reloading": notifier.reloading()
        case "stopping": notifier.stopping()
        case "watchdog": notifier.watchdog()
        default: fail("unknown notification \(step)")
        }
    }
}

struct ProbeFailure: Error, CustomStringConvertible {
    var description: String { "the probe's own error" }
}

/// Logs a fixed script through the handler `target` selects; the test knows the script.
func journal(target: String) {
    guard let target = LogTarget(rawValue: target) else { fail("unknown log target \(target)") }
    let level = SharedLogLevel(.info)
    let logger = Logger(label: "dialtone.probe", factory: target.makeLogHandlerFactory(level: level))
    logger.info(
        "call created",
        metadata: ["dialtone.call.id": "call_1_abc", "dialtone.user.id": "alice", "dialtone.event": "created"]
    )
    logger.debug("ice candidate relayed", metadata: ["dialtone.call.id": "call_1_abc"])
    logger.warning(
        "first line\nsecond line\n\tthird = line",
        metadata: [
            "dialtone.reason": "no_answer",
            "http.status": "200",
            "_private": "underscore",
            "9lives": "digit",
            "message": "not the message",
            "ünïcode.kéy": "accents",
            "dialtone.notes": "one\ntwo",
            String(repeating: "k", count: 80): "long",
        ]
    )
    level.level = .debug
    logger.debug("after setLevel", metadata: ["dialtone.call.id": "call_2_def"])
    logger.error("save failed", error: ProbeFailure())
}

/// Runs the watchdog from the environment in a ServiceGroup until SIGTERM.
func watchdog() async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    let notifier = SystemdNotifier()
    guard let watchdog = SystemdWatchdog.fromEnvironment(notifier: notifier, eventLoopGroup: group) else {
        say("disabled")
        try await group.shutdownGracefully()
        return
    }
    say("interval \(watchdog.interval)")
    notifier.ready()
    let services = ServiceGroup(services: [watchdog], gracefulShutdownSignals: [.sigterm], logger: Logger(label: "probe"))
    try await services.run()
    notifier.stopping()
    try await group.shutdownGracefully()
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "listen": try await listen()
case "notify": notify(arguments.dropFirst())
case "journal": journal(target: arguments.dropFirst().first ?? "journal")
case "log-target": say(LogTarget(rawValue: arguments.dropFirst().first ?? "auto")?.resolved().rawValue ?? "invalid")
case "watchdog": try await watchdog()
default: fail("usage: systemd-probe listen | notify STEP... | journal TARGET | log-target TARGET | watchdog")
}
