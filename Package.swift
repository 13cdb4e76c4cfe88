// swift-tools-version:6.1
import PackageDescription

// The layers, lowest first. A target depends only on targets above it in this list, and the
// compiler enforces it: a lower layer cannot import a higher one. Helpers shared across targets
// use `package` access.
//
//   GoModPlatform     FoundationEssentials and the C library, imported once (not a product)
//   GoModCore         names, versions, semver, escaping, globs, go.mod/go.work, go.sum, bytes
//   GoModZip          zip reader over zlib, h1: hashes, module-zip rules (check, create, unzip)
//   GoSumDB           signed notes, transparency log, checksum-database client over an
//                     injected transport and store (no HTTP implementation inside)
//   GoModNet          the only target that talks HTTP: the default transport
//   GoModFetch        Go's environment, GOPROXY client, module cache, download, verify, vendor,
//                     the module index feed (index.golang.org) client
//   GoModVCS          git: module zips from a tag or commit
//   GoModOrigin       module path → repository (cmd/go's RepoRootForImportPath), ref listing,
//                     the proxy's Origin against the refs now
//   GoModSupplyChain  mirror-vs-tag divergence, typosquats
//   GoModAudit        the project audit, SARIF
//   GoModScan         the ecosystem scan: index feed mirror, scan state (SQLite), shards; the
//                     pass over GoModOrigin (resolver, refs, rebuild) and GoModAdvisories
//   GoModKit          umbrella: re-exports all of the above

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

let package = Package(
    name: "GoModKit",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GoModCore", targets: ["GoModCore"]),
        .library(name: "GoModZip", targets: ["GoModZip"]),
        .library(name: "GoSumDB", targets: ["GoSumDB"]),
        .library(name: "GoModNet", targets: ["GoModNet"]),
        .library(name: "GoModFetch", targets: ["GoModFetch"]),
        .library(name: "GoModVCS", targets: ["GoModVCS"]),
        .library(name: "GoModOrigin", targets: ["GoModOrigin"]),
        .library(name: "GoModSupplyChain", targets: ["GoModSupplyChain"]),
        .library(name: "GoModAdvisories", targets: ["GoModAdvisories"]),
        .library(name: "GoModAudit", targets: ["GoModAudit"]),
        .library(name: "GoModScan", targets: ["GoModScan"]),
        .library(name: "GoModKit", targets: ["GoModKit"]),
        .executable(name: "gomodkit", targets: ["gomodkit-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The system SQLite (scan state); GRDB.swift was measured and not taken: it imports
        // Foundation, which would link ICU into the CLI (Docs/scan.md, "State").
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // FoundationEssentials (Foundation where it is missing) and the C library, imported once.
        .target(name: "GoModPlatform"),
        .target(name: "GoModCore", dependencies: ["GoModPlatform"], swiftSettings: strictSettings),
        .target(name: "GoModZip", dependencies: ["GoModPlatform", "GoModCore", "CZlib", crypto], swiftSettings: strictSettings),
        .target(name: "GoSumDB", dependencies: ["GoModPlatform", "GoModCore", crypto], swiftSettings: strictSettings),
        .target(
            name: "GoModNet",
            dependencies: [
                "GoModPlatform", "GoModCore", "GoSumDB",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoModFetch",
            dependencies: ["GoModPlatform", "GoModCore", "GoModZip", "GoSumDB", "GoModNet"],
            swiftSettings: strictSettings
        ),
        .target(name: "GoModVCS", dependencies: ["GoModPlatform", "GoModCore", "GoModZip"], swiftSettings: strictSettings),
        .target(
            name: "GoModOrigin",
            dependencies: ["GoModPlatform", "GoModCore", "GoModZip", "GoSumDB", "GoModFetch", "GoModVCS", crypto],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoModSupplyChain",
            dependencies: ["GoModPlatform", "GoModCore", "GoModZip", "GoSumDB", "GoModFetch", "GoModVCS", "GoModOrigin"],
            swiftSettings: strictSettings
        ),
        // Advisory data (Go vulnerability database, OSV trees) matched against a build list.
        .target(
            name: "GoModAdvisories",
            dependencies: ["GoModPlatform", "GoModCore", "GoModZip", "GoSumDB", "GoModFetch"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoModAudit",
            dependencies: ["GoModPlatform", "GoModCore", "GoModZip", "GoSumDB", "GoModFetch", "GoModVCS", "GoModOrigin", "GoModSupplyChain", "GoModAdvisories"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoModScan",
            dependencies: [
                "GoModPlatform", "GoModCore", "GoSumDB", "GoModFetch", "GoModVCS", "GoModOrigin", "GoModSupplyChain", "GoModAdvisories",
                "CSQLite", crypto,
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoModKit",
            dependencies: [
                "GoModPlatform", "GoModCore", "GoModZip", "GoSumDB", "GoModNet", "GoModFetch", "GoModVCS", "GoModOrigin",
                "GoModSupplyChain", "GoModAdvisories", "GoModAudit",
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "gomodkit-cli",
            dependencies: [
                "GoModPlatform", "GoModKit", "GoModScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // Release builds link the Swift runtime and FoundationEssentials in: no shared-library
            // loading and relocation at start-up (Docs/performance.md, start-up row). Compiling
            // with -static-stdlib too makes the target's imports name the static libraries' own
            // dependencies (_FoundationCShims, _FoundationCollections) for the link. Debug builds
            // stay dynamic: the linker flag would reach GoModKitCLITests, whose test libraries
            // exist only as shared libraries.
            // Release builds are also linked as a position-dependent executable (-no-pie), as Go
            // links its binaries by default: the dynamic loader then has ~500 relocations to apply
            // instead of ~86,000 (half of the remaining start-up; Docs/performance.md).
            swiftSettings: strictSettings + [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))],
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(configuration: .release))]
        ),
        // Tests: one target per layer, each depending only on the layer it tests and the layers
        // below that the test code itself needs. Helpers shared by several test targets live in
        // two small non-test targets: GoModTestSupport (Go reference harnesses, txtar, sandboxes,
        // scratch git repositories; GoModCore only) and GoSumDBTestSupport (an in-memory
        // checksum database over the HTTPTransport protocol).
        .target(
            name: "GoModTestSupport",
            dependencies: ["GoModCore"],
            path: "Tests/GoModTestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "GoSumDBTestSupport",
            dependencies: ["GoModCore", "GoSumDB"],
            path: "Tests/GoSumDBTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModCoreTests",
            dependencies: ["GoModCore", "GoModTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModZipTests",
            dependencies: ["GoModCore", "GoModZip", "GoModTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoSumDBTests",
            dependencies: ["GoModCore", "GoSumDB", "GoModTestSupport", "GoSumDBTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModFetchTests",
            dependencies: ["GoModCore", "GoModZip", "GoSumDB", "GoModNet", "GoModFetch", "GoModTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModVCSTests",
            dependencies: ["GoModCore", "GoModZip", "GoModVCS", "GoModTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModOriginTests",
            dependencies: [
                "GoModCore", "GoModZip", "GoSumDB", "GoModNet", "GoModFetch", "GoModVCS", "GoModOrigin",
                "GoModTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModSupplyChainTests",
            dependencies: [
                "GoModCore", "GoModZip", "GoSumDB", "GoModFetch", "GoModVCS", "GoModOrigin", "GoModSupplyChain",
                "GoModTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModAdvisoriesTests",
            dependencies: ["GoModCore", "GoModZip", "GoSumDB", "GoModFetch", "GoModAdvisories", "GoModTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModAuditTests",
            dependencies: [
                "GoModCore", "GoModZip", "GoSumDB", "GoModNet", "GoModFetch", "GoModVCS", "GoModOrigin", "GoModSupplyChain",
                "GoModAdvisories", "GoModAudit",
                "GoModTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModScanTests",
            dependencies: [
                "GoModCore", "GoSumDB", "GoModNet", "GoModFetch", "GoModOrigin", "GoModSupplyChain", "GoModAdvisories", "GoModScan",
                "GoModTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP transport, and the checksum database over it against a loopback Go server.
        .testTarget(
            name: "GoModNetTests",
            dependencies: ["GoModCore", "GoSumDB", "GoModNet", "GoModTestSupport", "GoSumDBTestSupport"],
            swiftSettings: strictSettings
        ),
        // The umbrella: code written against the single module before the cut (only `import
        // GoModKit`), and the error-code tests that span every layer.
        .testTarget(
            name: "GoModKitTests",
            dependencies: ["GoModKit", "GoModTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GoModKitCLITests",
            dependencies: [
                "gomodkit-cli", "GoModKit", "GoModTestSupport", "GoSumDBTestSupport", "GoModScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
