import Foundation
import GoModKit
import GoModTestSupport
import GoSumDBTestSupport
import Testing
@testable import gomodkit_cli

/// The exit-status table (README, `ExitStatus`): 0 clean, 1 a finding, 2 usage or unreadable
/// local input, 3 could not verify, 1 winning over 3. Each networked command runs as a child
/// process against a loopback proxy and checksum database that is honest, lying, or down (a
/// refused port).
///
/// The data is Go's: Examples/quickstart's zip and go.sum were written by golang.org/x/mod
/// (`CreateFromDir`, `dirhash.HashZip`), and its tampered zip is the one `go mod download`
/// rejects with `SECURITY ERROR` (CLITests checks Go's wording). Where Go has a verdict, it is
/// the expected one: go accepts the honest download and refuses the tampered zip, a record
/// that does not authenticate (x/mod `sumdb.Client`: "cannot authenticate record data") and an
/// unreachable proxy or database; Go exits 1 for all refusals, GoModKit tells the unreachable
/// server (3) from the lie (1).
@Suite struct ExitStatusTests {
    typealias Result = CLITests.Result

    /// The environment for one run: a private GOPATH (checksum-database state) and module cache.
    static func environment(_ scratch: URL, goproxy: String, gosumdb: String) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in ["GONOSUMDB", "GOPRIVATE", "GONOPROXY", "GOFLAGS", "GOINSECURE", "GOWORK"] { env[key] = nil }
        env["GOENV"] = "off"
        env["GOPATH"] = scratch.appendingPathComponent("gopath").path
        env["GOMODCACHE"] = scratch.appendingPathComponent("modcache").path
        env["GOPROXY"] = goproxy
        env["GOSUMDB"] = gosumdb
        return env
    }

    static func run(_ arguments: [String], _ env: [String: String], cwd: String? = nil) throws -> Result {
        try CLITests.gomodkit(arguments, environment: env, currentDirectory: cwd)
    }

    // MARK: - The central table

    @Test func precedenceFindingThenUsageThenUnverified() {
        var outcome = Outcome()
        #expect(outcome.status == .clean)
        outcome.record(.clean)
        #expect(outcome.status == .clean)
        outcome.record(.unverified)
        #expect(outcome.status == .unverified)
        outcome.record(.input)
        #expect(outcome.status == .usage)
        outcome.record(.finding)
        #expect(outcome.status == .finding)
        outcome.record(.unverified)
        #expect(outcome.status == .finding)
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3])
    }

    @Test func typedErrorsClassify() {
        #expect(Verdict(ChecksumDatabaseError(.securityFork)) == .finding)
        #expect(Verdict(ChecksumDatabaseError(.recordNotAuthenticated)) == .finding)
        #expect(Verdict(ChecksumDatabaseError(.offlineMissing)) == .unverified)
        #expect(Verdict(ChecksumDatabaseError(.transport, underlying: HTTPTransportError(.timeout, url: "u"))) == .unverified)
        #expect(Verdict(ChecksumDatabaseError(.transport, underlying: HTTPTransportError(.insecureRedirect, url: "u"))) == .finding)
        #expect(Verdict(ChecksumDatabaseError(.stateCorrupt)) == .input)
        #expect(Verdict(ModuleCacheError(.goSumMismatch, "m")) == .finding)
        #expect(Verdict(ModuleCacheError(.checksumDatabaseFailure, "m", checksumDatabaseError: ChecksumDatabaseError(.securityFork))) == .finding)
        #expect(Verdict(ModuleCacheError(.checksumDatabaseFailure, "m", checksumDatabaseError: ChecksumDatabaseError(.transport))) == .unverified)
        #expect(Verdict(ModuleCacheError(.proxy, "m", proxyError: ModuleProxyError(.transport, "refused"))) == .unverified)
        #expect(Verdict(ModuleCacheError(.proxy, "m", proxyError: ModuleProxyError(.proxyVersionMismatch, "v9"))) == .finding)
        #expect(Verdict(ModuleCacheError(.graph, "go.mod: parse error")) == .input)
        #expect(Verdict(ModuleCacheError(.graph, module: ModuleVersion(path: "example.com/x", version: "v1.0.0"), "not in cache")) == .unverified)
        #expect(Verdict(DivergenceError(.fetchFailed, subject: "u", message: "refused"), fromNetwork: true) == .unverified)
        #expect(Verdict(DivergenceError(.invalidZip, subject: "u", message: "bad"), fromNetwork: true) == .finding)
        // An error type the table does not know is never "clean".
        struct Unknown: Error {}
        #expect(Verdict(Unknown()) == .unverified)
    }

    @Test func everyHelpStatesTheTable() throws {
        let root = try CLITests.gomodkit(["--help"])
        #expect(root.status == 0)
        #expect(root.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
            .contains("3 could not verify"))
        for command in [["verify-zip"], ["verify"], ["download"], ["sumdb", "audit"], ["sumdb", "lookup"], ["diverge"],
                        ["audit"], ["hash"], ["zip", "check"], ["gosum", "check"], ["typosquat"], ["sumdb", "latest"]] {
            let help = try CLITests.gomodkit(command + ["--help"])
            #expect(help.status == 0, "\(command)")
            let text = help.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
            #expect(text.contains("Exit status: 0 verified/clean; 1 a finding"), "\(command): \(help.stdout)")
            #expect(text.contains("3 could not verify"), "\(command)")
        }
    }

    // MARK: - verify-zip (local files: no server)

    @Test func verifyZipTable() throws {
        let scratch = try Scratch("es-vz")
        #expect(try CLITests.gomodkit(["verify-zip", CLITests.goodZip, "--gosum", CLITests.goSum]).status == 0)
        #expect(try CLITests.gomodkit(["verify-zip", CLITests.badZip, "--gosum", CLITests.goSum]).status == 1)
        #expect(try CLITests.gomodkit(["verify-zip", "/nonexistent/x.zip", "--gosum", CLITests.goSum]).status == 2)
        #expect(try CLITests.gomodkit(["verify-zip", CLITests.goodZip, "--gosum", "/nonexistent/go.sum"]).status == 2)
        // A go.sum whose only line for the module uses a hash algorithm nobody knows: the
        // check cannot run (cmd/go: "unknown hash algorithm"), neither a match nor a mismatch.
        let unknown = scratch.url.appendingPathComponent("go.sum")
        try Data("example.com/hello v1.0.0 h9:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".utf8).write(to: unknown)
        let r = try CLITests.gomodkit(["verify-zip", CLITests.goodZip, "--gosum", unknown.path])
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
    }

    // MARK: - download

    @Test func downloadHonestLyingDown() throws {
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let module = "\(Quickstart.path)@\(Quickstart.version)"

        let ok = try Scratch("es-dl")
        let good = try Self.run(["download", "--timeout", "10", module], Self.environment(ok.url, goproxy: honest.goproxy, gosumdb: honest.gosumdb))
        #expect(good.status == 0, "\(good.stderr)")

        // The proxy lies (the tampered zip) and the database is honest: go's SECURITY ERROR.
        let lyingProxy = try Quickstart.server(tamperedProxy: true)
        defer { lyingProxy.stop() }
        let s1 = try Scratch("es-dl")
        let tampered = try Self.run(["download", "--timeout", "10", module],
                                    Self.environment(s1.url, goproxy: lyingProxy.goproxy, gosumdb: honest.gosumdb))
        #expect(tampered.status == 1, "\(tampered.stderr)")
        #expect(tampered.stderr.contains("SECURITY ERROR"))

        // The database lies (a record that does not authenticate).
        let lyingDB = try Quickstart.server(lyingDatabase: true)
        defer { lyingDB.stop() }
        let s2 = try Scratch("es-dl")
        let forged = try Self.run(["download", "--timeout", "10", module],
                                  Self.environment(s2.url, goproxy: honest.goproxy, gosumdb: lyingDB.gosumdb))
        #expect(forged.status == 1, "\(forged.stderr)")

        // The proxy is down; then the proxy is up and the database is down.
        let down = try LoopbackModuleServer.down()
        let s3 = try Scratch("es-dl")
        let noProxy = try Self.run(["download", "--timeout", "10", module], Self.environment(s3.url, goproxy: down.goproxy, gosumdb: honest.gosumdb))
        #expect(noProxy.status == 3, "\(noProxy.stderr)")
        let s4 = try Scratch("es-dl")
        let noDB = try Self.run(["download", "--timeout", "10", module], Self.environment(s4.url, goproxy: honest.goproxy, gosumdb: down.gosumdb))
        #expect(noDB.status == 3, "\(noDB.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s4.url.appendingPathComponent("modcache/example.com/hello@v1.0.0").path))

        // 1 wins over 3: one module refused as a lie, one that could not be fetched.
        let s5 = try Scratch("es-dl")
        let both = try Self.run(["download", "--timeout", "10", module, "example.com/absent@v1.0.0"],
                                Self.environment(s5.url, goproxy: lyingProxy.goproxy, gosumdb: honest.gosumdb))
        #expect(both.status == 1, "\(both.stderr)")
        let s6 = try Scratch("es-dl")
        let onlyMissing = try Self.run(["download", "--timeout", "10", "example.com/absent@v1.0.0"],
                                       Self.environment(s6.url, goproxy: honest.goproxy, gosumdb: honest.gosumdb))
        #expect(onlyMissing.status == 3, "\(onlyMissing.stderr)")

        // Usage.
        #expect(try Self.run(["download"], Self.environment(s6.url, goproxy: honest.goproxy, gosumdb: honest.gosumdb)).status == 2)
    }

    // MARK: - verify

    /// A project and a module cache filled from the honest server.
    static func downloadedProject(_ scratch: URL, _ server: LoopbackModuleServer) throws -> URL {
        let project = try Quickstart.project(in: scratch)
        let env = environment(scratch, goproxy: server.goproxy, gosumdb: server.gosumdb)
        let r = try run(["download", "--timeout", "10", "\(Quickstart.path)@\(Quickstart.version)"], env)
        #expect(r.status == 0, "\(r.stderr)")
        return project
    }

    /// Removes the checksum database's answers cached in the module cache
    /// (`cache/download/sumdb`), so that the next run must ask the server.
    static func dropDatabaseCache(_ scratch: URL) throws {
        let dir = scratch.appendingPathComponent("modcache/cache/download/sumdb")
        _ = try GoReference.run("/bin/chmod", ["-R", "u+w", dir.path])
        try? FileManager.default.removeItem(at: dir)
    }

    @Test func verifyHonestLyingDown() throws {
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let scratch = try Scratch("es-verify")
        let project = try Self.downloadedProject(scratch.url, honest)
        let env = Self.environment(scratch.url, goproxy: honest.goproxy, gosumdb: honest.gosumdb)

        let ok = try Self.run(["verify", "--timeout", "10", project.path], env)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "all modules verified\n")

        // The database lies about the module's record (a fresh GOPATH: no stored tree; and no
        // cached database answers, which would be used instead of the network, as go does).
        try Self.dropDatabaseCache(scratch.url)
        let lying = try Quickstart.server(lyingDatabase: true)
        defer { lying.stop() }
        var lyingEnv = Self.environment(scratch.url, goproxy: honest.goproxy, gosumdb: lying.gosumdb)
        lyingEnv["GOPATH"] = scratch.url.appendingPathComponent("gopath-lying").path
        let forged = try Self.run(["verify", "--timeout", "10", project.path], lyingEnv)
        #expect(forged.status == 1, "\(forged.stderr)")
        #expect(!forged.stdout.contains("all modules verified"))

        // The database is down: nothing contradicts the cache, but go.sum is not verified.
        try Self.dropDatabaseCache(scratch.url)
        let down = try LoopbackModuleServer.down()
        var downEnv = Self.environment(scratch.url, goproxy: down.goproxy, gosumdb: down.gosumdb)
        downEnv["GOPATH"] = scratch.url.appendingPathComponent("gopath-down").path
        let unreachable = try Self.run(["verify", "--timeout", "10", project.path], downEnv)
        #expect(unreachable.status == 3, "\(unreachable.stderr)")
        #expect(!unreachable.stdout.contains("all modules verified"))

        // A module the cache lacks (a requirement never downloaded): could not verify.
        let other = scratch.url.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("module example.com/app\n\ngo 1.21\n\nrequire example.com/absent v1.0.0\n".utf8)
            .write(to: other.appendingPathComponent("go.mod"))
        let miss = try Self.run(["verify", "--offline", other.path], env)
        #expect(miss.status == 3, "\(miss.stderr)")

        // Usage: no go.mod.
        #expect(try Self.run(["verify", scratch.url.appendingPathComponent("nowhere").path], env).status == 2)
    }

    // MARK: - sumdb lookup / sumdb audit

    @Test func sumdbLookupHonestLyingDown() throws {
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let lying = try Quickstart.server(lyingDatabase: true)
        defer { lying.stop() }
        let down = try LoopbackModuleServer.down()
        let module = "\(Quickstart.path)@\(Quickstart.version)"

        let s = try Scratch("es-lookup")
        let ok = try Self.run(["sumdb", "lookup", "--timeout", "10", module], Self.environment(s.url, goproxy: "off", gosumdb: honest.gosumdb))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == (try Quickstart.goSum).split(separator: "\n").first.map { String($0) + "\n" })

        let s1 = try Scratch("es-lookup")
        let forged = try Self.run(["sumdb", "lookup", "--timeout", "10", module], Self.environment(s1.url, goproxy: "off", gosumdb: lying.gosumdb))
        #expect(forged.status == 1, "\(forged.stderr)")
        #expect(forged.stdout.isEmpty)

        let s2 = try Scratch("es-lookup")
        let unreachable = try Self.run(["sumdb", "lookup", "--timeout", "10", module], Self.environment(s2.url, goproxy: "off", gosumdb: down.gosumdb))
        #expect(unreachable.status == 3, "\(unreachable.stderr)")

        // Offline with an empty cache: an offline cache miss.
        let s3 = try Scratch("es-lookup")
        let offline = try Self.run(["sumdb", "lookup", "--offline", module], Self.environment(s3.url, goproxy: "off", gosumdb: honest.gosumdb))
        #expect(offline.status == 3, "\(offline.stderr)")

        // A module the database does not know (404): cmd/go refuses it; a finding.
        let s4 = try Scratch("es-lookup")
        let unknown = try Self.run(["sumdb", "lookup", "--timeout", "10", "example.com/absent@v1.0.0"],
                                   Self.environment(s4.url, goproxy: "off", gosumdb: honest.gosumdb))
        #expect(unknown.status == 1, "\(unknown.stderr)")

        #expect(try Self.run(["sumdb", "lookup", "no-version"], Self.environment(s4.url, goproxy: "off", gosumdb: honest.gosumdb)).status == 2)
    }

    @Test func sumdbAuditHonestLyingDown() throws {
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let lying = try Quickstart.server(lyingDatabase: true)
        defer { lying.stop() }
        let down = try LoopbackModuleServer.down()
        let s = try Scratch("es-audit")
        let sum = s.url.appendingPathComponent("go.sum")
        try Data(try Quickstart.goSum.utf8).write(to: sum)

        let ok = try Self.run(["sumdb", "audit", "--timeout", "10", sum.path], Self.environment(s.url, goproxy: "off", gosumdb: honest.gosumdb))
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("2 verified, 0 mismatched"))

        let s1 = try Scratch("es-audit")
        let forged = try Self.run(["sumdb", "audit", "--timeout", "10", sum.path], Self.environment(s1.url, goproxy: "off", gosumdb: lying.gosumdb))
        #expect(forged.status == 1, "\(forged.stdout)\(forged.stderr)")

        let s2 = try Scratch("es-audit")
        let unreachable = try Self.run(["sumdb", "audit", "--timeout", "10", "--json", sum.path],
                                       Self.environment(s2.url, goproxy: "off", gosumdb: down.gosumdb))
        #expect(unreachable.status == 3, "\(unreachable.stdout)\(unreachable.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(unreachable.stdout.utf8)) as? [String: Any])
        #expect((json["summary"] as? [String: Int])?["error"] == 2)

        // 1 wins over 3: a go.sum line with another hash (the database answers) next to a
        // module whose lookups fail with 503.
        honest.sumdb.set { $0.statusHook = { path in path.contains("lookup/example.com/other") ? 503 : nil } }
        let mixed = s.url.appendingPathComponent("mixed.sum")
        try Data(((try Quickstart.goSum).replacingOccurrences(of: "Qmqb//qqVbdXtTHcGX787s5tnO9byUg648KakHQrC/4=",
                                                               with: "w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=")
                  + "example.com/other v1.0.0 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\n").utf8).write(to: mixed)
        let s3 = try Scratch("es-audit")
        let both = try Self.run(["sumdb", "audit", "--timeout", "10", mixed.path], Self.environment(s3.url, goproxy: "off", gosumdb: honest.gosumdb))
        #expect(both.status == 1, "\(both.stdout)\(both.stderr)")
        #expect(both.stdout.contains("mismatch"))
        #expect(both.stdout.contains(": error"))

        #expect(try Self.run(["sumdb", "audit", "/nonexistent/go.sum"], Self.environment(s3.url, goproxy: "off", gosumdb: honest.gosumdb)).status == 2)
    }

    // MARK: - audit

    @Test func auditHonestLyingDown() throws {
        let honest = try Quickstart.server()
        defer { honest.stop() }
        let scratch = try Scratch("es-paudit")
        let project = try Self.downloadedProject(scratch.url, honest)
        let env = Self.environment(scratch.url, goproxy: honest.goproxy, gosumdb: honest.gosumdb)

        let ok = try Self.run(["audit", "--no-origin", "--timeout", "10", project.path], env)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("audit passed"))

        try Self.dropDatabaseCache(scratch.url)
        let lying = try Quickstart.server(lyingDatabase: true)
        defer { lying.stop() }
        var lyingEnv = Self.environment(scratch.url, goproxy: honest.goproxy, gosumdb: lying.gosumdb)
        lyingEnv["GOPATH"] = scratch.url.appendingPathComponent("gopath-lying").path
        let forged = try Self.run(["audit", "--no-origin", "--timeout", "10", "--json", project.path], lyingEnv)
        #expect(forged.status == 1, "\(forged.stdout)\(forged.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(forged.stdout.utf8)) as? [String: Any])
        let rules = (object["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        #expect(rules.contains("GMK019-sumdb-misbehaved"), "\(rules)")

        try Self.dropDatabaseCache(scratch.url)
        let down = try LoopbackModuleServer.down()
        var downEnv = Self.environment(scratch.url, goproxy: down.goproxy, gosumdb: down.gosumdb)
        downEnv["GOPATH"] = scratch.url.appendingPathComponent("gopath-down").path
        let unreachable = try Self.run(["audit", "--no-origin", "--timeout", "10", project.path], downEnv)
        #expect(unreachable.status == 3, "\(unreachable.stdout)\(unreachable.stderr)")
        #expect(unreachable.stdout.contains("audit INCOMPLETE"))

        // A tampered module cache next to the unreachable database: the finding wins.
        let zip = scratch.url.appendingPathComponent("modcache/cache/download/example.com/hello/@v/v1.0.0.zip")
        _ = try GoReference.run("/bin/chmod", ["-R", "u+w", scratch.url.appendingPathComponent("modcache").path])
        try Data(try Quickstart.tamperedZip).write(to: zip)
        let both = try Self.run(["audit", "--no-origin", "--timeout", "10", project.path], downEnv)
        #expect(both.status == 1, "\(both.stdout)\(both.stderr)")
    }

    // MARK: - diverge

    @Test func divergeHonestLyingDown() throws {
        let atV = SupplyChainCommandTests.atV
        let module = "github.com/boltdb-go/bolt@v1.3.1"
        let scratch = try Scratch("es-diverge")

        // Lying: the mirror's backdoored zip and its .info (made with Go's x/mod from the tag
        // before it was force-pushed; Examples/boltdb-typosquat/make-example.sh).
        var files: [String: [UInt8]] = [:]
        for name in ["list", "v1.3.1.info", "v1.3.1.mod", "v1.3.1.zip"] {
            files["github.com/boltdb-go/bolt/@v/\(name)"] = Array(try Data(contentsOf: atV.appendingPathComponent(name)))
        }
        let mirror = try LoopbackModuleServer(files: files, records: [])
        defer { mirror.stop() }
        let lying = try CLITests.gomodkit(["diverge", module, "--git", SupplyChainCommandTests.bundle, "--proxy", mirror.goproxy])
        #expect(lying.status == 1, "\(lying.stdout)\(lying.stderr)")
        #expect(lying.stdout.contains("suspicious"))

        // Honest: the zip the tag gives today (made by `gomodkit zip create --git` from a
        // clone of the bundle) and an .info without an Origin.
        let clone = scratch.url.appendingPathComponent("bolt")
        let cloned = try GoReference.run("/usr/bin/env", ["git", "clone", "-q", SupplyChainCommandTests.bundle, clone.path])
        #expect(cloned.status == 0, "\(cloned.stderrText)")
        let rebuilt = scratch.url.appendingPathComponent("v1.3.1.zip")
        let made = try CLITests.gomodkit(["zip", "create", "--module", "github.com/boltdb-go/bolt", "--version", "v1.3.1",
                                          "--git", clone.path, "-o", rebuilt.path])
        #expect(made.status == 0, "\(made.stderr)")
        mirror.serve("github.com/boltdb-go/bolt/@v/v1.3.1.zip", Array(try Data(contentsOf: rebuilt)))
        mirror.serve("github.com/boltdb-go/bolt/@v/v1.3.1.info", Array(#"{"Version":"v1.3.1","Time":"2019-01-01T00:00:00Z"}"#.utf8))
        let honest = try CLITests.gomodkit(["diverge", module, "--git", SupplyChainCommandTests.bundle, "--proxy", mirror.goproxy])
        #expect(honest.status == 0, "\(honest.stdout)\(honest.stderr)")
        #expect(honest.stdout.contains("consistent"))

        // Down; and a proxy without the version.
        let down = try LoopbackModuleServer.down()
        let unreachable = try CLITests.gomodkit(["diverge", module, "--git", SupplyChainCommandTests.bundle, "--proxy", down.goproxy])
        #expect(unreachable.status == 3, "\(unreachable.stderr)")
        let missing = try CLITests.gomodkit(["diverge", "github.com/boltdb-go/bolt@v1.9.9", "--git", SupplyChainCommandTests.bundle,
                                             "--proxy", mirror.goproxy])
        #expect(missing.status == 3, "\(missing.stderr)")

        // Usage: neither --zip nor --proxy; a repository that does not exist.
        #expect(try CLITests.gomodkit(["diverge", module, "--git", SupplyChainCommandTests.bundle]).status == 2)
        #expect(try CLITests.gomodkit(["diverge", module, "--git", "/nonexistent", "--proxy", mirror.goproxy]).status == 2)
    }
}
