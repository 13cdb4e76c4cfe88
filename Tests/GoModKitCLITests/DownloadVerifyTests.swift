import Foundation
import Testing

/// `gomodkit download` / `gomodkit verify` as a user sees them: output and exit status. The
/// expected texts are what `go mod download` / `go mod verify` (Go 1.27.3) print in the same
/// situations (run by hand: GOPROXY=off go mod download [-json] example.com/x@v1.0.0; go mod
/// verify in a module without requirements). The loopback interop with the real go command is
/// in GoModFetchTests/ModCache.
@Suite struct DownloadVerifyTests {
    typealias Result = CLITests.Result

    /// Runs gomodkit with `extra` over the process environment (`<unset>` removes a variable)
    /// and a fresh, empty GOMODCACHE.
    static func run(_ arguments: [String], env extra: [String: String], cwd: String? = nil) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-dv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = ProcessInfo.processInfo.environment
        env["GOMODCACHE"] = dir.appendingPathComponent("modcache").path
        for (k, v) in extra { if v == "<unset>" { env[k] = nil } else { env[k] = v } }
        return try CLITests.gomodkit(arguments, environment: env, currentDirectory: cwd)
    }

    /// GOPROXY=off is cmd/go's cache-only mode: a module not in the cache could not be
    /// verified (exit 3; go exits 1).
    @Test func downloadWithProxyOffIsGosError() throws {
        let r = try Self.run(["download", "example.com/x@v1.0.0"], env: ["GOPROXY": "off", "GOSUMDB": "off"])
        #expect(r.status == 3)
        #expect(r.stderr == "go: example.com/x@v1.0.0: module lookup disabled by GOPROXY=off\n")
        let j = try Self.run(["download", "-json", "example.com/x@v1.0.0"], env: ["GOPROXY": "off", "GOSUMDB": "off"])
        #expect(j.status == 3)
        #expect(j.stdout == "{\n\t\"Path\": \"example.com/x\",\n\t\"Version\": \"v1.0.0\",\n\t\"Error\": \"example.com/x@v1.0.0: module lookup disabled by GOPROXY=off\"\n}\n")
    }

    /// GOPROXY=direct goes to version control under GOVCS, with go's text (Go 1.27.3,
    /// `GOPROXY=direct GOVCS=public:off go mod download github.com/x/y@v1.0.0`, no network:
    /// github.com needs no discovery request). go exits 1; a module that could not be fetched
    /// is "could not verify" (3) for GoModKit. scripts/direct-e2e.sh covers real fetches.
    @Test func directHonoursGOVCS() throws {
        let r = try Self.run(["download", "github.com/x/y@v1.0.0"], env: ["GOPROXY": "direct", "GOSUMDB": "off", "GOVCS": "public:off"])
        #expect(r.status == 3)
        #expect(r.stderr == "go: github.com/x/y@v1.0.0: GOVCS disallows using git for public github.com/x/y; see 'go help vcs'\n")
    }

    @Test func usageErrors() throws {
        #expect(try Self.run(["download"], env: [:]).status == 2)
        #expect(try Self.run(["download", "x@"], env: [:]).status == 2)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-nomod-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let r = try Self.run(["verify", empty.path], env: [:])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("go: go.mod file not found in "))
        #expect(try Self.run(["download", "example.com/x@v1.0.0"], env: ["GOPROXY": ",", "GOSUMDB": "off"]).stderr
                == "go: GOPROXY list is not the empty string, but contains no entries\n")
    }

    /// Arguments split at the first `@` with Go's version check (modload.ParsePathVersion); the
    /// texts are go mod download's (GOPROXY=off GOFLAGS=-mod=mod, Go 1.27.3), which exits 1 for
    /// the invalid version where GoModKit uses its usage status 2, and for the lookup GOPROXY=off
    /// refuses where GoModKit says "could not verify" (3).
    @Test func pathVersionArguments() throws {
        let r = try Self.run(["download", "example.com/x@v1.0.0@x"], env: ["GOPROXY": "off", "GOSUMDB": "off"])
        #expect(r.status == 3)
        #expect(r.stderr == "go: example.com/x@v1.0.0@x: module lookup disabled by GOPROXY=off\n")
        let bad = try Self.run(["download", "example.com/x@-v1"], env: ["GOPROXY": "off", "GOSUMDB": "off"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "go: invalid module version \"-v1\"\n")
    }

    @Test func verifyModuleWithoutRequirements() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-mod-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("module example.com/app\n\ngo 1.21\n".utf8).write(to: dir.appendingPathComponent("go.mod"))
        let r = try Self.run(["verify"], env: ["GOSUMDB": "off"], cwd: dir.path)
        #expect(r.status == 0)
        #expect(r.stdout == "all modules verified\n")
        #expect(r.stderr.isEmpty)
    }

    /// Settings written by `go env -w` (the GOENV file) apply under the process environment, as in go.
    @Test func readsTheGoEnvFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-goenv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("env")
        try Data("GOPROXY=off\nGOSUMDB=off\n".utf8).write(to: file)
        let r = try Self.run(["download", "example.com/x@v1.0.0"], env: ["GOENV": file.path, "GOPROXY": "<unset>", "GOSUMDB": "<unset>"])
        #expect(r.stderr == "go: example.com/x@v1.0.0: module lookup disabled by GOPROXY=off\n")
        // The process environment wins over the file.
        let d = try Self.run(["download", "github.com/x/y@v1.0.0"], env: ["GOENV": file.path, "GOPROXY": "direct", "GOVCS": "public:off"])
        #expect(d.stderr.contains("GOVCS disallows using git"))
    }
}
