import Foundation
import Testing
@testable import gomodkit_cli

/// `gomodkit vuln` and `gomodkit caps` as a user runs them. Expected values: the records'
/// own fields (ids, summaries, `introduced: "0"`, no fix), issue 15's exit codes, and the
/// example's db.go at the tag (errors, os, sync) and in the mirror's zip (+net, os/exec, time,
/// func init()).
@Suite struct VulnCommandTests {
    static let example = AuditCommandTests.example
    static var vulndb: String { example.appendingPathComponent("advisories/vulndb").path }
    static var osv: String { example.appendingPathComponent("advisories/malicious-packages").path }
    static var modcache: String { example.appendingPathComponent("modcache").path }

    @Test func exampleMatchesBothRecordsAsOneIncident() throws {
        let result = try CLITests.gomodkit(["vuln", Self.example.path, "--db", Self.vulndb, "--osv", Self.osv, "--modcache", Self.modcache])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("github.com/boltdb-go/bolt@v1.3.1: MALICIOUS — GO-2025-3451, MAL-2025-2545"), "\(result.stdout)")
        #expect(result.stdout.contains("affected: introduced 0"))
        #expect(result.stdout.contains("fixed in: N/A"))
        // stdlib at go.mod's `go 1.21`, nothing in these two records for it.
        #expect(result.stdout.contains("(stdlib at go1.21)"))
        #expect(result.stdout.contains("1 affected"))
    }

    @Test func jsonAndSarif() throws {
        let json = try CLITests.gomodkit(["vuln", Self.example.path, "--db", "file://" + Self.vulndb, "--osv", Self.osv, "--json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let incidents = try #require(object["incidents"] as? [[String: Any]])
        #expect(incidents.count == 1)
        #expect(incidents.first?["module"] as? String == "github.com/boltdb-go/bolt")
        let ids = (incidents.first?["advisories"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["GO-2025-3451", "MAL-2025-2545"])
        #expect(object["goVersion"] as? String == "go1.21")
        let sarif = try CLITests.gomodkit(["vuln", Self.example.path, "--db", Self.vulndb, "--sarif"])
        #expect(sarif.status == 1)
        #expect(sarif.stdout.contains("\"GMK012-known-vulnerability\""))
        #expect(sarif.stdout.contains("\"version\":\"2.1.0\"") || sarif.stdout.contains("\"version\" : \"2.1.0\""))
    }

    /// Without --db/--osv, GOVULNDB names the database, as govulncheck reads it.
    @Test func govulndbEnvironment() throws {
        var env = ProcessInfo.processInfo.environment
        env["GOVULNDB"] = "file://" + Self.vulndb
        env["GOMODCACHE"] = Self.modcache
        let result = try CLITests.gomodkit(["vuln", Self.example.path], environment: env)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("github.com/boltdb-go/bolt@v1.3.1: vulnerable — GO-2025-3451"), "\(result.stdout)")  // MALICIOUS needs a MAL- record
        #expect(result.stdout.contains("against vulndb file://"))
    }

    @Test func cleanProjectExits0AndUnreadableSourceExits3() throws {
        let sandbox = try TempDir()
        let dir = sandbox.sub("p")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("module example.com/app\n\ngo 1.26.5\n\nrequire golang.org/x/mod v0.20.0\n".utf8).write(to: URL(fileURLWithPath: dir + "/go.mod"))
        let clean = try CLITests.gomodkit(["vuln", dir, "--db", Self.vulndb, "--osv", Self.osv, "--modcache", sandbox.sub("nocache")])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("no advisories apply"))
        #expect(clean.stdout.contains("note: build list from go.mod's requirements only"))
        let missing = try CLITests.gomodkit(["vuln", dir, "--db", sandbox.sub("no-such-db")])
        #expect(missing.status == 3, "\(missing.stderr)")
        #expect(missing.stderr.contains("cannot read advisory source"))
        let offline = try CLITests.gomodkit(["vuln", dir, "--db", "https://vuln.go.dev", "--offline"])
        #expect(offline.status == 3)
        let usage = try CLITests.gomodkit(["vuln", dir, "--json", "--sarif"])
        #expect(usage.status == 2)
        let noGoMod = try CLITests.gomodkit(["vuln", sandbox.sub("nothing"), "--db", Self.vulndb])
        #expect(noGoMod.status == 2)
    }

    @Test func capsOfTheBackdooredZipAgainstTheTag() throws {
        let sandbox = try TempDir()
        let checkout = sandbox.sub("bolt")
        let clone = Process()
        clone.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        clone.arguments = ["git", "clone", "--quiet", "--branch", "v1.3.1", Self.example.appendingPathComponent("upstream.bundle").path, checkout]
        try clone.run()
        clone.waitUntilExit()
        #expect(clone.terminationStatus == 0)
        try? FileManager.default.removeItem(atPath: checkout + "/.git")
        let zip = Self.modcache + "/cache/download/github.com/boltdb-go/bolt/@v/v1.3.1.zip"
        let list = try CLITests.gomodkit(["caps", "--zip", zip])
        #expect(list.status == 0)
        #expect(list.stdout.contains("github.com/boltdb-go/bolt: EXEC, NETWORK, OPERATING_SYSTEM, init"), "\(list.stdout)")
        let diff = try CLITests.gomodkit(["caps", "--zip", zip, "--against", checkout])
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("+EXEC +NETWORK +init"), "\(diff.stdout)")
        let json = try CLITests.gomodkit(["caps", "--zip", zip, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let infos = try #require(object["capabilityInfo"] as? [[String: Any]])
        #expect(Set(infos.compactMap { $0["capability"] as? String }) == ["CAPABILITY_EXEC", "CAPABILITY_NETWORK", "CAPABILITY_OPERATING_SYSTEM"])
        #expect(infos.allSatisfy { $0["capabilityType"] as? String == "CAPABILITY_TYPE_DIRECT" })
        let cached = try CLITests.gomodkit(["caps", "github.com/boltdb-go/bolt@v1.3.1", "--modcache", Self.modcache])
        #expect(cached.stdout == list.stdout)
        let same = try CLITests.gomodkit(["caps", "--dir", checkout, "--against", checkout])
        #expect(same.status == 0)
    }
}

/// A temporary directory removed when released.
final class TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-vuln-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func sub(_ name: String) -> String { path + "/" + name }
}
