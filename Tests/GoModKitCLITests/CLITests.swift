import ArgumentParser
import Foundation
import Testing
@testable import gomodkit_cli

/// Process-level tests of the `gomodkit` executable: output and exit status, as a user sees
/// them. Expected hashes come from Go (Examples/quickstart/go.sum was written from
/// golang.org/x/mod's `CreateFromDir` + `dirhash.HashZip`, see Examples/quickstart/README.md)
/// and from vectors computed with golang.org/x/mod.
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let example = root.appendingPathComponent("Examples/quickstart")
    static let goodZip = example.appendingPathComponent("example.com-hello@v1.0.0.zip").path
    static let badZip = example.appendingPathComponent("example.com-hello@v1.0.0-tampered.zip").path
    static let goSum = example.appendingPathComponent("go.sum").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The exact bytes written (the strings above decode them, replacing invalid UTF-8).
        var stdoutBytes: [UInt8] = []
        var stderrBytes: [UInt8] = []
    }

    /// The built `gomodkit` binary (built by `swift build` / `swift test`).
    static func binary() throws -> String {
        let candidates = [".build/debug/gomodkit", ".build/x86_64-unknown-linux-gnu/debug/gomodkit",
                          ".build/aarch64-unknown-linux-gnu/debug/gomodkit"]
        return try #require(candidates.map { root.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }, "build gomodkit first (swift build)")
    }

    /// Runs the built `gomodkit` binary.
    static func gomodkit(_ arguments: [String], environment: [String: String]? = nil,
                         currentDirectory: String? = nil) throws -> Result {
        let binary = try binary()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close(); try errHandle.close()
        let stdout = Array(try Data(contentsOf: out)), stderr = Array(try Data(contentsOf: err))
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
                      stdoutBytes: stdout, stderrBytes: stderr)
    }

    /// The go.sum line for the zip, as Go wrote it.
    static func recordedZipHash() throws -> String {
        let text = try String(contentsOfFile: goSum, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { !$0.contains("/go.mod") })
        return String(try #require(line.split(separator: " ").last))
    }

    @Test func hashPrintsGosHash() throws {
        let result = try Self.gomodkit(["hash", Self.goodZip])
        #expect(result.status == 0)
        #expect(try result.stdout == Self.recordedZipHash() + "\n")
    }

    @Test func hashOfSeveralZipsNamesEach() throws {
        let result = try Self.gomodkit(["hash", Self.goodZip, Self.goodZip])
        #expect(result.status == 0)
        let line = "\(Self.goodZip) \(try Self.recordedZipHash())"
        #expect(result.stdout == line + "\n" + line + "\n")
    }

    @Test func hashGoModMatchesGoSum() throws {
        let result = try Self.gomodkit(["hash", "--mod", Self.example.appendingPathComponent("source/go.mod").path])
        #expect(result.status == 0)
        #expect(result.stdout == "h1:gTqEJ382ZQqv2xsPfdUZDovzOcPwH0eHFziE2Xq+iaU=\n")
    }

    /// The module tree hashed as a directory equals the zip's hash when the zip has no
    /// directory entries (x/mod `dirhash.HashDir` / `HashZip`), so Go's zip hash is the expected value.
    @Test func hashDirMatchesTheZip() throws {
        let result = try Self.gomodkit(["hash", "--dir", Self.example.appendingPathComponent("source").path,
                                        "--prefix", "example.com/hello@v1.0.0"])
        #expect(result.status == 0)
        #expect(try result.stdout == Self.recordedZipHash() + "\n")
    }

    @Test func hashJSON() throws {
        let result = try Self.gomodkit(["hash", "--json", Self.goodZip])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let results = try #require(object?["results"] as? [[String: Any]])
        #expect(try results.first?["hash"] as? String == Self.recordedZipHash())
    }

    @Test func verifyZipAcceptsTheRecordedZip() throws {
        let result = try Self.gomodkit(["verify-zip", Self.goodZip, "--gosum", Self.goSum])
        #expect(result.status == 0)
        #expect(result.stdout.contains("example.com/hello@v1.0.0"))
    }

    /// cmd/go's text (modfetch `goSumMismatch`) for a download that does not match go.sum.
    @Test func verifyZipRejectsTheTamperedZipWithGosWording() throws {
        let result = try Self.gomodkit(["verify-zip", Self.badZip, "--gosum", Self.goSum])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("verifying example.com/hello@v1.0.0: checksum mismatch\n\tdownloaded: h1:"))
        let recorded = try Self.recordedZipHash()
        #expect(result.stderr.contains("\tgo.sum:     \(recorded)\n\nSECURITY ERROR\n"
                                       + "This download does NOT match an earlier download recorded in go.sum."))
    }

    @Test func verifyZipWithExpectedHash() throws {
        let good = try Self.gomodkit(["verify-zip", Self.goodZip, "--h1", try Self.recordedZipHash()])
        #expect(good.status == 0)
        let bad = try Self.gomodkit(["verify-zip", Self.badZip, "--h1", try Self.recordedZipHash(), "--json"])
        #expect(bad.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(bad.stdout.utf8)) as? [String: Any]
        #expect(object?["result"] as? String == "mismatch")
        #expect(object?["module"] as? String == "example.com/hello")
    }

    @Test func verifyZipModuleMustMatchThePrefix() throws {
        let result = try Self.gomodkit(["verify-zip", Self.goodZip, "--module", "example.com/other",
                                        "--version", "v1.0.0", "--gosum", Self.goSum])
        #expect(result.status == 1)
        #expect(result.stderr.contains("zip for example.com/other@v1.0.0 has unexpected file"))
    }

    @Test func verifyZipMissingEntryFailsClosed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("go.sum")
        try Data().write(to: empty)
        let result = try Self.gomodkit(["verify-zip", Self.goodZip, "--gosum", empty.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("missing go.sum entry"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try Self.gomodkit(["verify-zip", Self.goodZip]).status == 2)
        #expect(try Self.gomodkit(["verify-zip", Self.goodZip, "--h1", "h1:not-a-hash"]).status == 2)
        #expect(try Self.gomodkit(["hash"]).status == 2)
        #expect(try Self.gomodkit(["no-such-command"]).status == 2)
        #expect(try Self.gomodkit(["hash", "/nonexistent/x.zip"]).status == 2)
        #expect(try Self.gomodkit(["gosum", "check", "/nonexistent/go.sum"]).status == 2)
        #expect(try Self.gomodkit(["--help"]).status == 0)
        // A subcommand's --version option is never taken for a root --version flag: a usage
        // error must not turn into "print a version and exit 0".
        let missingZip = try Self.gomodkit(["verify-zip", "--module", "example.com/m", "--version", "v1.0.0"])
        #expect(missingZip.status == 2)
        #expect(missingZip.stdout.isEmpty)
    }

    /// A go.sum with a two-field line, two different `h1:` hashes for one key and a non-canonical
    /// hash (Docs/stricter-than-go.md, "go.sum"): each reported with its line number, exit
    /// status 1; a clean file exits 0.
    @Test func gosumCheckReportsEveryProblem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("go.sum")
        try Data("""
            rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=
            rsc.io/quote v1.5.2
            rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=
            rsc.io/sampler v1.3.0 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=
            rsc.io/sampler v1.3.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=

            """.utf8).write(to: file)
        let result = try Self.gomodkit(["gosum", "check", file.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(file.path):2: error:") })
        #expect(lines.contains { $0.hasPrefix("\(file.path):4: error:") })
        #expect(lines.contains { $0.hasPrefix("\(file.path):5: error:") })
        #expect(try Self.gomodkit(["gosum", "check", Self.goSum]).status == 0)
    }

    /// `gosum fmt` writes what cmd/go writes: module.Sort order, hashes de-duplicated.
    @Test func gosumFmtSortsLikeGo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("go.sum")
        // Records from x/mod's sumdb/client_test.go, shuffled and with one duplicate.
        try Data("""
            rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=
            rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=
            rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=
            rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=

            """.utf8).write(to: file)
        let result = try Self.gomodkit(["gosum", "fmt", file.path])
        #expect(result.status == 0)
        #expect(result.stdout == """
            rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=
            rsc.io/sampler v1.3.0 h1:7uVkIFmeBqHfdjD+gZwtXXI+RODJ2Wc4O7MPEh/QiW4=
            rsc.io/sampler v1.3.0/go.mod h1:T1hPZKmBbMNahiBKFy5HrXp6adAjACjK9JXDnKaTXpA=

            """)
    }

    /// Parse-level: the command tree accepts the documented forms.
    @Test func parsesDocumentedForms() throws {
        _ = try GoModKitCommand.parseAsRoot(["hash", "a.zip", "b.zip"])
        _ = try GoModKitCommand.parseAsRoot(["hash", "--mod", "go.mod"])
        _ = try GoModKitCommand.parseAsRoot(["hash", "--dir", "d", "--prefix", "example.com/m@v1.0.0"])
        _ = try GoModKitCommand.parseAsRoot(["verify-zip", "a.zip", "--module", "example.com/m", "--version",
                                             "v1.0.0", "--gosum", "go.sum", "--json"])
        _ = try GoModKitCommand.parseAsRoot(["gosum", "check", "go.sum", "--json"])
        _ = try GoModKitCommand.parseAsRoot(["gosum", "fmt", "go.sum"])
        // Refused by the commands' own validation, with their messages.
        for (arguments, message) in [(["hash", "--dir", "d"], "--dir needs --prefix path@version"),
                                     (["verify-zip", "a.zip", "--module", "m"], "give exactly one of --gosum FILE and --h1 HASH")] {
            do {
                _ = try GoModKitCommand.parseAsRoot(arguments)
                Issue.record("accepted \(arguments)")
            } catch {
                #expect(GoModKitCommand.message(for: error) == message, "\(arguments)")
            }
        }
    }
}
