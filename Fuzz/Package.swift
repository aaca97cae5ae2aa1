// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets over the pure modules (JSON, protocol codecs, signaling core). A separate
// package so that the root package's normal build never sees the sanitizer flags; mk/fuzz.mk
// builds it with coverage instrumentation and ASan, and links libFuzzer without its `main`
// (SwiftPM renames each executable's entry point, which clashes with libFuzzer's own `main`).
// The library sources are the root package's, reached through symlinks in Sources/.
let package = Package(
    name: "dialtone-fuzz",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "DialtoneJSON"),
        .target(name: "DialtoneCore", dependencies: ["DialtoneJSON"]),
        .target(name: "DialtoneProtocol", dependencies: ["DialtoneJSON"]),
        .target(name: "FuzzSupport"),
        // Engine.IO text packets and polling payloads, Socket.IO packets with binary attachments.
        .executableTarget(name: "FuzzEngineIO", dependencies: ["FuzzSupport", "DialtoneProtocol", "DialtoneJSON"]),
        // DialtoneJSON's parser and JSON-RPC 2.0 single and batch decoding (the /ws and control socket path).
        .executableTarget(name: "FuzzJSONRPC", dependencies: ["FuzzSupport", "DialtoneProtocol", "DialtoneJSON"]),
        // Fuzzed sequences of device events, HTTP /call-end requests and clock ticks through SignalingCore.
        .executableTarget(
            name: "FuzzCore", dependencies: ["FuzzSupport", "DialtoneCore", "DialtoneProtocol", "DialtoneJSON"]),
    ]
)
