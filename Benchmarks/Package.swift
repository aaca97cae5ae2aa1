// swift-tools-version: 6.2
// Microbenchmarks of dialtone's codecs and signaling core (ordo-one/package-benchmark).
// A package of its own so that the root `swift build` / `swift test` never build the benchmark
// plugin and its dependencies. Run from this directory: `swift package benchmark`
// (or `make bench-micro` at the root).
import PackageDescription

let package = Package(
    name: "DialtoneBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "dialtone", path: ".."),
        // MallocInterposer counts allocations; the default traits also pull in a runtime
        // interposer that is not available here.
        .package(
            url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DialtoneJSON", package: "dialtone"),
                .product(name: "DialtoneProtocol", package: "dialtone"),
            ],
            path: "Benchmarks/CodecBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DialtoneJSON", package: "dialtone"),
                .product(name: "DialtoneCore", package: "dialtone"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
