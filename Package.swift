// swift-tools-version: 6.2
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOWebSocket", package: "swift-nio"),
]

let package = Package(
    name: "dialtone",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dialtoned", targets: ["dialtoned"]),
        .executable(name: "sio-conformance", targets: ["sio-conformance"]),
        .executable(name: "dialtonectl", targets: ["dialtonectl"]),
        .executable(name: "dialtone-load", targets: ["dialtone-load"]),
        // For the microbenchmarks package (Benchmarks/), which depends on this one by path.
        .library(name: "DialtoneJSON", targets: ["DialtoneJSON"]),
        .library(name: "DialtoneCore", targets: ["DialtoneCore"]),
        .library(name: "DialtoneProtocol", targets: ["DialtoneProtocol"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"6.0.0"),
    ],
    targets: [
        // JSON values that keep key order and number text, so relayed payloads arrive as sent.
        .target(name: "DialtoneJSON"),
        // Users, devices, calls and history as a value-type state machine; no I/O, time is an input.
        .target(name: "DialtoneCore", dependencies: ["DialtoneJSON"]),
        // Engine.IO v4, Socket.IO v5 and JSON-RPC 2.0: pure parsers, encoders and session state machines.
        .target(name: "DialtoneProtocol", dependencies: ["DialtoneJSON"]),
        // SwiftNIO transports: HTTP API, Engine.IO polling and WebSocket, /ws.
        .target(
            name: "DialtoneServer",
            dependencies: ["DialtoneCore", "DialtoneProtocol", "DialtoneJSON"] + nio + [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Settings, the history file and the wiring of one daemon.
        .target(
            name: "DialtoneDaemon",
            dependencies: [
                "DialtoneControl", "DialtoneCore", "DialtoneServer", "DialtoneJSON", "DialtoneSystemd", "CHeapStats",
            ] + nio + [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        // glibc's malloc statistics, for the heap gauge on /metrics.
        .target(name: "CHeapStats"),
        // libsystemd itself: socket activation, sd_notify, the watchdog and the native journal protocol.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // Socket activation by name, readiness and watchdog notifications, journal and stderr log handlers.
        .target(
            name: "DialtoneSystemd",
            dependencies: [
                "CSystemd",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "dialtoned",
            dependencies: [
                "DialtoneDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The reference server of Socket.IO's published protocol test suites, on our own protocol stack.
        .executableTarget(
            name: "sio-conformance",
            dependencies: ["DialtoneServer", "DialtoneProtocol", "DialtoneJSON"] + nio + [
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        // The JSON-RPC control socket for host tools: method table, dispatcher, Unix listener.
        .target(
            name: "DialtoneControl",
            dependencies: ["DialtoneCore", "DialtoneProtocol", "DialtoneJSON"] + nio + [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "dialtonectl",
            dependencies: [
                "DialtoneProtocol", "DialtoneJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The load generator's model: WebSocket client framing, the Socket.IO frames it sends
        // and reads, the per-pair call state machine, the latency histogram and the report.
        .target(
            name: "DialtoneLoad",
            dependencies: ["DialtoneJSON"] + nio
        ),
        // Idle / relay / calls load against a dialtoned (or any server speaking its Socket.IO events).
        .executableTarget(
            name: "dialtone-load",
            dependencies: [
                "DialtoneLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "DialtoneJSONTests", dependencies: ["DialtoneJSON"]),
        .testTarget(name: "DialtoneLoadTests", dependencies: ["DialtoneLoad", "DialtoneJSON"] + nio),
        .testTarget(name: "DialtoneCoreTests", dependencies: ["DialtoneCore", "DialtoneJSON"]),
        .testTarget(name: "DialtoneProtocolTests", dependencies: ["DialtoneProtocol", "DialtoneJSON"]),
        .testTarget(
            name: "DialtoneServerTests",
            dependencies: ["DialtoneServer"] + nio + [
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        .testTarget(
            name: "DialtoneDaemonTests",
            dependencies: [
                "DialtoneDaemon", "dialtoned", "DialtoneJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "DialtoneControlTests",
            dependencies: ["DialtoneControl", "DialtoneProtocol", "DialtoneJSON"] + nio + [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        // Run by DialtoneSystemdTests in child processes that systemd tools set up (LISTEN_FDS, NOTIFY_SOCKET, a journal socket).
        .executableTarget(
            name: "systemd-probe",
            dependencies: [
                "DialtoneSystemd",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/SystemdProbe"
        ),
        .testTarget(
            name: "DialtoneSystemdTests",
            dependencies: [
                "DialtoneSystemd",
                "systemd-probe",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
