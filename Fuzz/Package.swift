// swift-tools-version:6.1
// libFuzzer targets for GoModKit, each depending only on the product it exercises (Docs/Testing.md: fuzzing).
// Build and run them with scripts/fuzz-smoke.sh; every executable target named Fuzz* is a
// fuzz target whose entry point is `@_cdecl("LLVMFuzzerTestOneInput")`.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which differs between clones
// (`main`, a worktree, CI's checkout): derive it from this manifest's location.
let parentIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let fuzzSettings: [SwiftSetting] = [
    .unsafeFlags(["-parse-as-library"]),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "GoModKitFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzZipReader",
            dependencies: [.product(name: "GoModZip", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzNote",
            dependencies: [.product(name: "GoSumDB", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzTLog",
            dependencies: [.product(name: "GoSumDB", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzGoSum",
            dependencies: [.product(name: "GoModCore", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        .executableTarget(name: "FuzzGoMod", dependencies: [.product(name: "GoModCore", package: parentIdentity)], swiftSettings: fuzzSettings),
        .executableTarget(name: "FuzzGoWork", dependencies: [.product(name: "GoModCore", package: parentIdentity)], swiftSettings: fuzzSettings),
        .executableTarget(name: "FuzzModulePath", dependencies: [.product(name: "GoModCore", package: parentIdentity)], swiftSettings: fuzzSettings),
        // The module-zip policy and extraction with the real limits (issue 13).
        .executableTarget(
            name: "FuzzModuleZip",
            dependencies: [.product(name: "GoModCore", package: parentIdentity), .product(name: "GoModZip", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzUnzip",
            dependencies: [.product(name: "GoModCore", package: parentIdentity), .product(name: "GoModZip", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        // HTTP answers GoModKit interprets itself: the checksum database's (GoSumDB) and the
        // module proxy's (GoModFetch, which brings GoModNet's HTTP client into the build).
        .executableTarget(
            name: "FuzzSumDBClient",
            dependencies: [.product(name: "GoModCore", package: parentIdentity), .product(name: "GoSumDB", package: parentIdentity)],
            swiftSettings: fuzzSettings
        ),
        .executableTarget(
            name: "FuzzProxyResponse",
            dependencies: [
                .product(name: "GoModCore", package: parentIdentity), .product(name: "GoSumDB", package: parentIdentity),
                .product(name: "GoModFetch", package: parentIdentity),
            ],
            swiftSettings: fuzzSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
