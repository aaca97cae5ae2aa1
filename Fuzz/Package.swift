// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets over dialtone's own modules. A separate package so that the root package's
// normal build never sees the sanitizer flags; the library sources are the root package's,
// reached through symlinks in Sources/. Only our modules get ASan and coverage instrumentation:
// the fuzzer then explores our code, and SwiftNIO and swift-crypto build as in a plain release
// build. mk/fuzz.mk links libFuzzer without its `main` (SwiftPM renames each executable's entry
// point, which clashes with libFuzzer's own `main`).
let instrumented: [SwiftSetting] = [
    .unsafeFlags(["-sanitize=address", "-sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table"])
]
let sanitizerRuntime: [LinkerSetting] = [.unsafeFlags(["-sanitize=address"])]

let package = Package(
    name: "dialtone-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"6.0.0"),
    ],
    targets: [
        .target(name: "DialtoneJSON", swiftSettings: instrumented),
        .target(name: "DialtoneCore", dependencies: ["DialtoneJSON"], swiftSettings: instrumented),
        .target(name: "DialtoneProtocol", dependencies: ["DialtoneJSON"], swiftSettings: instrumented),
        .target(
            name: "DialtoneServer",
            dependencies: [
                "DialtoneCore", "DialtoneProtocol", "DialtoneJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: instrumented
        ),
        .target(name: "FuzzSupport", swiftSettings: instrumented),
        // Engine.IO text packets and polling payloads, Socket.IO packets with binary attachments.
        .executableTarget(
            name: "FuzzEngineIO", dependencies: ["FuzzSupport", "DialtoneProtocol", "DialtoneJSON"],
            swiftSettings: instrumented, linkerSettings: sanitizerRuntime),
        // DialtoneJSON's parser and JSON-RPC 2.0 single and batch decoding (the /ws and control socket path).
        .executableTarget(
            name: "FuzzJSONRPC", dependencies: ["FuzzSupport", "DialtoneProtocol", "DialtoneJSON"],
            swiftSettings: instrumented, linkerSettings: sanitizerRuntime),
        // Fuzzed sequences of device events, HTTP /call-end requests and clock ticks through SignalingCore.
        .executableTarget(
            name: "FuzzCore", dependencies: ["FuzzSupport", "DialtoneCore", "DialtoneProtocol", "DialtoneJSON"],
            swiftSettings: instrumented, linkerSettings: sanitizerRuntime),
        // Raw request bytes into one connection's pipeline (NIO's HTTP/1.1 parser, our router, the HTTP
        // API, Engine.IO polling) over an EmbeddedChannel, down to the signaling core.
        .executableTarget(
            name: "FuzzHTTP",
            dependencies: [
                "FuzzSupport", "DialtoneServer", "DialtoneCore", "DialtoneJSON",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: instrumented, linkerSettings: sanitizerRuntime),
    ]
)
