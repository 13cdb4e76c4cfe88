import Foundation
import Testing
import GoModTestSupport
@testable import gomodkit_cli

/// `gomodkit audit` as the README runs it: `gomodkit audit Examples/boltdb-typosquat`, offline,
/// with the example's gomodkit-audit.json. Expected facts come from issue 7 (it reports the
/// typosquat of github.com/boltdb/bolt and the divergence with db.go's new init() and imports,
/// and exits 1), from the example's own files (go.mod's require line, go.sum's hash, the
/// .info Origin commit written by make-example.sh), and from the SARIF 2.1.0 model checked by
/// an independent reader (sarif-pydantic).
@Suite struct AuditCommandTests {
    static let example = CLITests.root.appendingPathComponent("Examples/boltdb-typosquat")

    /// The 1-based line of go.mod that requires the typosquat.
    static func requireLine() throws -> Int {
        let text = try String(contentsOfFile: example.appendingPathComponent("go.mod").path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains("github.com/boltdb-go/bolt") }) + 1
    }

    /// The commit the mirror archived, from the cached .info.
    static func originCommit() throws -> String {
        let info = example.appendingPathComponent("modcache/cache/download/github.com/boltdb-go/bolt/@v/v1.3.1.info")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: info)) as? [String: Any]
        return try #require((object?["Origin"] as? [String: Any])?["Hash"] as? String)
    }

    @Test func exampleAuditReportsTyposquatAndDivergence() throws {
        let result = try CLITests.gomodkit(["audit", Self.example.path])
        #expect(result.status == 1, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("go.mod:\(try Self.requireLine()): error: github.com/boltdb-go/bolt looks like a typosquat of github.com/boltdb/bolt"))
        #expect(out.contains("tag-divergence"))
        #expect(out.contains("changed db.go"))
        #expect(out.contains("import \"net\"") && out.contains("import \"os/exec\""))
        #expect(out.contains("func init() added"))
        #expect(out.contains(try Self.originCommit()))
        #expect(out.contains("mirror's zip (\(try SupplyChainCommandTests.recordedZipHash()))"))
        #expect(out.contains("sumdb       skipped  GOSUMDB=off"))
        #expect(out.contains("audit FAILED"))
    }

    /// Issue 15's "done means": the example's audit also reports GO-2025-3451 and MAL-2025-2545
    /// (the two records it carries in advisories/, named by its gomodkit-audit.json), offline,
    /// as one incident.
    @Test func exampleAuditReportsTheIncidentRecords() throws {
        let result = try CLITests.gomodkit(["audit", Self.example.path])
        #expect(result.status == 1, "\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("github.com/boltdb-go/bolt@v1.3.1: known malicious module (GO-2025-3451, MAL-2025-2545); no fixed version [GMK013-malicious-module]"), "\(out)")
        #expect(out.contains("GO-2025-3451: Vulnerability in github.com/boltdb-go/bolt [REVIEWED]"))
        #expect(out.contains("MAL-2025-2545: Malicious code in github.com/boltdb-go/bolt (Go) [REVIEWED]"))
        #expect(out.contains("vuln        failed"))
        #expect(out.contains("caps        skipped  no base go.sum (--base)"))
    }

    @Test func exampleAuditAsJSON() throws {
        let result = try CLITests.gomodkit(["audit", Self.example.path, "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["failed"] as? Bool == true)
        let findings = try #require(object["findings"] as? [[String: Any]])
        let rules = findings.compactMap { $0["rule"] as? String }
        #expect(rules.contains("GMK003-typosquat"))
        #expect(rules.contains("GMK009-tag-divergence"))
        #expect(findings.allSatisfy { $0["module"] as? String == "github.com/boltdb-go/bolt" })
        let checks = try #require(object["checks"] as? [[String: Any]])
        #expect(checks.compactMap { $0["name"] as? String } == ["go.mod", "go.sum", "typosquat", "sumdb", "modcache", "vendor", "divergence", "origin", "vuln", "caps"])
        #expect(rules.contains("GMK013-malicious-module"))
    }

    @Test func exampleAuditAsSARIF() throws {
        let result = try CLITests.gomodkit(["audit", Self.example.path, "--sarif"])
        #expect(result.status == 1)
        let tools = CLITests.root.appendingPathComponent(".tools/py")
        if FileManager.default.fileExists(atPath: tools.appendingPathComponent("sarif_pydantic").path) {
            let script = """
                import json, sys, sarif_pydantic
                log = sarif_pydantic.Sarif.model_validate(json.load(sys.stdin))
                for r in log.runs[0].results:
                    loc = r.locations[0].physical_location
                    print(r.rule_id, r.level.value if hasattr(r.level, "value") else r.level, loc.artifact_location.uri, loc.region.start_line if loc.region else 0)
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script]
            var env = ProcessInfo.processInfo.environment
            env["PYTHONPATH"] = tools.path
            process.environment = env
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(result.stdout.utf8))
            try input.fileHandleForWriting.close()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(printed.contains("GMK003-typosquat error go.mod \(try Self.requireLine())"), "\(printed)")
            #expect(printed.contains("GMK009-tag-divergence error go.sum 1"), "\(printed)")
        } else if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("required for CI but missing: sarif-pydantic in .tools/py (scripts/install-go-reference.sh)")
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
    }

    @Test func usageAndConfigurationErrorsExit2() throws {
        let missing = try CLITests.gomodkit(["audit", "/nonexistent-gomodkit-dir"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("go.mod file not found"))
        let both = try CLITests.gomodkit(["audit", Self.example.path, "--json", "--sarif"])
        #expect(both.status == 2)
        // A misspelt capability would silently weaken the gate: refused.
        let misspelt = try CLITests.gomodkit(["audit", Self.example.path, "--forbid-capability", "NETWRK"])
        #expect(misspelt.status == 2)
        #expect(misspelt.stderr.contains("--forbid-capability NETWRK: not a capability name"), "\(misspelt.stderr)")
        let sandbox = FileManager.default.temporaryDirectory.appendingPathComponent("gmk-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: sandbox) }
        try Data("module example.com/a\n\ngo 1.21\n".utf8).write(to: sandbox.appendingPathComponent("go.mod"))
        try Data(#"{"gosumdb":"off","gitroots":[]}"#.utf8).write(to: sandbox.appendingPathComponent("gomodkit-audit.json"))
        let badConfig = try CLITests.gomodkit(["audit", sandbox.path])
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("unknown key \"gitroots\""), "\(badConfig.stderr)")
        // A clean project with nothing to find passes (exit 0), and says what was skipped.
        try Data(#"{"gosumdb":"off","gomodcache":"no-cache"}"#.utf8).write(to: sandbox.appendingPathComponent("gomodkit-audit.json"))
        let clean = try CLITests.gomodkit(["audit", sandbox.path])
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.contains("audit passed"))
        #expect(clean.stdout.contains("modcache    skipped"))
    }
}

/// `gomodkit audit --min-release-age` as a user runs it: the feed from a loopback module index
/// (`--module-index`), the window cached under `$XDG_CACHE_HOME/gomodkit/index`, the real clock.
@Suite struct AuditReleaseAgeCommandTests {
    @Test func aVersionFirstSeenYesterdayIsRefusedAndTheFeedIsCached() throws {
        let sandbox = try Sandbox()
        // Feed timestamps relative to the real clock: one old entry in the window, then bolt yesterday.
        func rfc3339(_ date: Date) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return f.string(from: date)
        }
        let fixture = IndexFeedFixture(entries: [
            ("example.com/old", "v1.0.0", rfc3339(Date(timeIntervalSinceNow: -10 * 86400))),
            ("github.com/boltdb-go/bolt", "v1.3.1", rfc3339(Date(timeIntervalSinceNow: -86400))),
        ])
        let server = try LoopbackHTTPServer.indexFeed { fixture }
        defer { server.stop() }
        // The example's settings without "offline" (the gate needs the feed).
        try Data(#"{"gomodcache": "modcache", "gosumdb": "off", "git": {"github.com/boltdb-go/bolt": "upstream.bundle"}}"#.utf8)
            .write(to: URL(fileURLWithPath: sandbox.sub("audit.json")))
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = sandbox.sub("cache")
        let args = ["audit", AuditCommandTests.example.path, "--config", sandbox.sub("audit.json"), "--no-origin",
                    "--min-release-age", "14", "--module-index", server.url.absoluteString]
        let result = try CLITests.gomodkit(args, environment: env)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("go.sum:1: error: github.com/boltdb-go/bolt@v1.3.1: first seen by the module index at \(fixture.entries[1].timestamp), 23 hours ago; policy minReleaseAge is 14 days [GMK018-policy-release-age]")
                || result.stdout.contains("go.sum:1: error: github.com/boltdb-go/bolt@v1.3.1: first seen by the module index at \(fixture.entries[1].timestamp), 1 day ago; policy minReleaseAge is 14 days [GMK018-policy-release-age]"),
                "\(result.stdout)")
        #expect(result.stdout.contains("(2 entries, 0 from the cache, 1 page read): 1 younger than 14 days"), "\(result.stdout)")
        let cached = try FileManager.default.contentsOfDirectory(atPath: sandbox.sub("cache/gomodkit/index"))
        #expect(cached.count == 1)
        // Again: the window comes from the cache, and one page after it is read.
        let again = try CLITests.gomodkit(args, environment: env)
        #expect(again.status == 1)
        #expect(again.stdout.contains("(2 entries, 2 from the cache, 1 page read): 1 younger than 14 days"), "\(again.stdout)")
        #expect(server.paths.count == 2)
        #expect(server.paths.last?.contains("since=\(fixture.entries[1].timestamp)") == true, "\(server.paths)")
    }
}
