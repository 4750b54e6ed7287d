// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "driftwatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "driftwatch", targets: ["driftwatch"]),
        .library(name: "DriftStats", targets: ["DriftStats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System libraries: a module map and a shim header each; apt names the Debian package.
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        // glibc's <malloc.h> (mallopt), part of libc: nothing to install or link.
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        .target(
            name: "DriftStats",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]),
        .target(name: "DriftTables", dependencies: ["DriftStats", "CZlib"]),
        .target(name: "DriftCore", dependencies: ["DriftStats", "DriftTables"]),
        .target(name: "DriftWire", dependencies: ["DriftCore", "DriftTables", "DriftStats"]),
        // The blocking executor runs on NIOPosix's thread pool.
        .target(name: "DriftSystem", dependencies: [.product(name: "NIOPosix", package: "swift-nio")]),
        .target(
            name: "PostgresDriver",
            dependencies: [
                "CLibPQ", "DriftSystem", "DriftTables", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "EmbeddedCluster",
            dependencies: ["CLibPQ", "DriftSystem", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "DriftStore",
            dependencies: [
                "PostgresDriver", "DriftCore", "DriftTables",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "DriftReport", dependencies: ["DriftCore", "DriftTables", "DriftStats"]),
        .target(name: "DriftTrainer", dependencies: ["COpenBLAS", "DriftStats", "DriftTables", "DriftCore"]),
        .target(
            name: "DriftAlerts",
            dependencies: [
                "CCurl", "DriftCore", "DriftSystem", "DriftTables", "DriftStats",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "DriftConfig",
            dependencies: ["DriftCore", "DriftTables", "DriftStats", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "DriftBatch",
            dependencies: ["DriftStats", "DriftTables", "DriftCore", "DriftReport", "DriftTrainer"]),
        // `driftwatch bench …`: the benchmarks the project ships (Benchmarks/README.md).
        .target(
            name: "DriftBench",
            dependencies: [
                "CCurl", "DriftBatch", "DriftCore", "DriftStats", "DriftStore", "DriftSystem", "DriftTables",
                "DriftTrainer", "EmbeddedCluster", "PostgresDriver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(
            name: "DriftAgent",
            dependencies: [
                "DriftStats", "DriftTables", "DriftCore", "DriftWire", "DriftSystem", "PostgresDriver",
                "EmbeddedCluster",
                "DriftStore",
                "DriftConfig", "DriftAlerts", "DriftReport", "DriftTrainer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .executableTarget(
            name: "driftwatch",
            dependencies: [
                "DriftStats", "DriftTables", "DriftCore", "DriftSystem", "PostgresDriver", "EmbeddedCluster",
                "DriftStore", "DriftBatch", "DriftBench", "DriftConfig", "DriftAgent", "DriftAlerts", "DriftReport",
                "DriftTrainer",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),

        // Helpers the test targets share (seeded mutations, the test database cluster).
        .target(
            name: "DriftTestSupport", dependencies: ["DriftTables", "EmbeddedCluster", "PostgresDriver"],
            path: "Tests/DriftTestSupport"),
        .testTarget(
            name: "DriftStatsTests", dependencies: ["DriftStats"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "DriftTablesTests", dependencies: ["DriftTables", "DriftStats", "DriftTestSupport"]),
        .testTarget(
            name: "DriftCoreTests", dependencies: ["DriftCore", "DriftTables", "DriftStats", "DriftTestSupport"]),
        .testTarget(
            name: "DriftWireTests", dependencies: ["DriftWire", "DriftCore", "DriftTables", "DriftTestSupport"]),
        .testTarget(
            name: "DriftStoreTests",
            dependencies: ["DriftStore", "PostgresDriver", "EmbeddedCluster", "DriftCore", "DriftTestSupport"]),
        .testTarget(
            name: "DriftTrainerTests", dependencies: ["DriftTrainer", "DriftStats", "DriftTables", "DriftCore"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "DriftConfigTests", dependencies: ["DriftConfig", "DriftCore", "DriftTestSupport"]),
        .testTarget(name: "DriftReportTests", dependencies: ["DriftReport", "DriftCore", "DriftStats"]),
        .testTarget(name: "DriftAlertsTests", dependencies: ["DriftAlerts", "DriftCore", "DriftStats", "DriftTables"]),
        .testTarget(name: "DriftSystemTests", dependencies: ["DriftSystem"]),
        .testTarget(
            name: "DriftAgentTests",
            dependencies: [
                "DriftAgent", "DriftAlerts", "DriftTrainer", "DriftConfig", "DriftCore", "DriftReport", "DriftStats",
                "DriftStore", "DriftSystem", "DriftTables", "DriftTestSupport", "PostgresDriver",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CLibPQ", "CCurl", "COpenBLAS"]),
        .testTarget(
            name: "DriftwatchCLITests",
            dependencies: [
                "driftwatch", "DriftCore", "DriftStats", "DriftReport", "DriftStore", "DriftSystem", "DriftTables",
                "DriftTestSupport", "PostgresDriver",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
