import Foundation
import Testing
import GoModCore
import GoModFetch
import GoModAdvisories
import GoModAudit
import GoSumDB
import GoModTestSupport
import GoModNet

/// The audit's vulnerability, capability and policy checks on the bundled example
/// (Examples/boltdb-typosquat: go.mod requires github.com/boltdb-go/bolt v1.3.1, whose cached
/// zip's db.go imports errors, net, os, os/exec, sync, time and has a func init(); its
/// advisories/ directory holds GO-2025-3451 and MAL-2025-2545).
@Suite struct ProjectAuditPolicyTests {
    static let example = GoReference.repoRoot.appendingPathComponent("Examples/boltdb-typosquat")

    static func options() -> ProjectAudit.Options {
        var options = ProjectAudit.Options()
        options.moduleCache = ModuleCache(root: example.appendingPathComponent("modcache").path)
        return options
    }

    @Test func vulnerabilityCheckReportsTheIncidentOnce() async throws {
        var options = Self.options()
        options.advisorySources = [.vulnDB(Self.example.appendingPathComponent("advisories/vulndb").path),
                                   .osv(Self.example.appendingPathComponent("advisories/malicious-packages").path)]
        let report = await ProjectAudit.run(directory: Self.example.path, options: options)
        let found = report.findings.filter { $0.rule == .maliciousModule }
        #expect(found.count == 1)
        #expect(found.first?.message == "github.com/boltdb-go/bolt@v1.3.1: known malicious module (GO-2025-3451, MAL-2025-2545); no fixed version")
        #expect(found.first?.moduleVersion == "v1.3.1")
        #expect(report.checks.first { $0.name == "vuln" }?.status == .failed)
        // Without sources the check is skipped, never "passed".
        let none = await ProjectAudit.run(directory: Self.example.path, options: Self.options())
        #expect(none.checks.first { $0.name == "vuln" }?.status == .skipped)
        // An unreadable source fails the check with a finding.
        var broken = Self.options()
        broken.advisorySources = [.vulnDB("/nonexistent-gomodkit-vulndb")]
        let failed = await ProjectAudit.run(directory: Self.example.path, options: broken)
        #expect(failed.checks.first { $0.name == "vuln" }?.status == .failed)
        #expect(failed.findings.contains { $0.rule == .checkFailed && $0.message.contains("cannot read advisory source") })
    }

    @Test func baseGoSumReportsCapabilitiesGained() async throws {
        // Base: the project before it depended on the squat (an empty go.sum).
        var options = Self.options()
        options.baseGoSum = try GoSum(parsing: [], fileName: "base.go.sum", mode: .go)
        options.policy.forbidCapabilities = ["EXEC"]
        let report = await ProjectAudit.run(directory: Self.example.path, options: options)
        let gained = report.findings.filter { $0.rule == .capabilityGained }
        #expect(gained.count == 1)
        #expect(gained.first?.message == "github.com/boltdb-go/bolt (not in base) → v1.3.1 gains EXEC, NETWORK, OPERATING_SYSTEM, init")
        #expect(gained.first?.details.contains { $0.contains("NETWORK: import \"net\" in db.go") } == true, "\(gained)")
        let forbidden = report.findings.filter { $0.rule == .policyForbiddenCapability }
        #expect(forbidden.map(\.message) == ["github.com/boltdb-go/bolt@v1.3.1 gains EXEC, which policy forbidCapabilities forbids"])
        #expect(report.checks.first { $0.name == "caps" }?.status == .failed)
        // Base at an older version that is not in the cache: not compared, said so.
        var older = Self.options()
        older.baseGoSum = try GoSum(parsing: Array("github.com/boltdb-go/bolt v1.3.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n".utf8),
                                    fileName: "base.go.sum", mode: .go)
        let notCompared = await ProjectAudit.run(directory: Self.example.path, options: older)
        #expect(notCompared.findings.contains { $0.rule == .checkFailed && $0.message.contains("v1.3.0 (base): not in the module cache") })
        // Same go.sum as base: nothing changed.
        var same = Self.options()
        same.baseGoSum = try GoSum(parsing: Array(try Data(contentsOf: Self.example.appendingPathComponent("go.sum"))), fileName: "go.sum", mode: .go)
        let unchanged = await ProjectAudit.run(directory: Self.example.path, options: same)
        #expect(unchanged.checks.first { $0.name == "caps" }?.status == .passed)
        #expect(!unchanged.findings.contains { $0.rule == .capabilityGained })
    }

    @Test func denyAllowAndRequireChecksumDatabase() async throws {
        var options = Self.options()
        options.policy.deny = ["github.com/boltdb-go"]
        options.policy.requireChecksumDatabase = true
        options.checksumDatabaseSkipReason = "GOSUMDB=off"
        let report = await ProjectAudit.run(directory: Self.example.path, options: options)
        let denied = report.findings.filter { $0.rule == .policyDeniedModule }
        #expect(denied.count == 1)
        #expect(denied.first?.file == "go.mod" && denied.first?.line == 5)
        #expect(report.findings.contains { $0.rule == .policyChecksumDatabase && $0.message.contains("GOSUMDB=off") })
        options.policy.allow = ["github.com/boltdb-go/bolt"]
        let allowed = await ProjectAudit.run(directory: Self.example.path, options: options)
        #expect(!allowed.findings.contains { $0.rule == .policyDeniedModule })
        options.policy.deny = ["*.example.com"]
        let other = await ProjectAudit.run(directory: Self.example.path, options: options)
        #expect(!other.findings.contains { $0.rule == .policyDeniedModule })
    }

    @Test func configurationKeys() throws {
        let sandbox = try Sandbox()
        try Data("""
            {"vulndb": ["db", "https://vuln.go.dev"], "osv": ["mal"], "deny": ["github.com/evil/*"], "allow": ["github.com/evil/ok"],
             "requireChecksumDatabase": true, "forbidCapabilities": ["NETWORK", "EXEC"]}
            """.utf8).write(to: URL(fileURLWithPath: sandbox.sub("gomodkit-audit.json")))
        let config = try ProjectAudit.Configuration.load(directory: sandbox.path)
        #expect(config.vulndb == [URL(fileURLWithPath: sandbox.path).appendingPathComponent("db").standardizedFileURL.path, "https://vuln.go.dev"])
        #expect(config.osv.count == 1 && config.osv[0].hasSuffix("/mal"))
        #expect(config.policy.deny == ["github.com/evil/*"])
        #expect(config.policy.allow == ["github.com/evil/ok"])
        #expect(config.policy.requireChecksumDatabase)
        #expect(config.policy.forbidCapabilities == ["NETWORK", "EXEC"])
    }
}

/// Release age from the module index feed (Docs/advisories.md, "Policy gates"), against a loopback module
/// index serving the feed format of index.golang.org (`/index?since=…&limit=…`, JSON lines):
/// the example's bolt v1.3.1 has an `.info` Time years old (2021-11-08, author-controlled) but
/// the feed first saw it yesterday → refused by a 14-day gate.
@Suite struct ReleaseAgeTests {
    /// "Now" for every test: 2026-12-07T12:00:00Z.
    static let now: Double = 1_796_644_800
    static let bolt = (path: "github.com/boltdb-go/bolt", version: "v1.3.1", timestamp: "2026-12-06T12:00:00.123456Z")

    /// Entries before the window, 1,994 inside it, a run of 8 at one Timestamp straddling the
    /// 2,000-entry page edge, then bolt (first seen yesterday).
    static func feed() -> IndexFeedFixture {
        var entries: [(path: String, version: String, timestamp: String)] = []
        for i in 0..<5 { entries.append(("example.com/old\(i)", "v1.0.0", "2024-0\(i + 1)-01T00:00:00.5Z")) }
        // The window starts at 2026-11-23T12:00:00Z; one entry exactly at it.
        entries.append(("example.com/first", "v1.0.0", "2026-11-23T12:00:00Z"))
        for i in 0..<1993 {
            let minute = i % 60, hour = 13 + i / 60 % 10
            entries.append(("example.com/m\(i)", "v0.\(i).0", "2026-11-2\(4 + i / 600)T\(hour):\(minute < 10 ? "0" : "")\(minute):00.000001Z"))
        }
        // Window entries 1995…2002: one instant, written with Z and with an offset.
        for i in 0..<8 { entries.append(("example.com/edge\(i)", "v1.0.0", i % 2 == 0 ? "2026-11-30T08:00:00.5Z" : "2026-11-30T01:00:00.5-07:00")) }
        entries.append(bolt)
        return IndexFeedFixture(entries: entries)
    }

    static func options(server: LoopbackHTTPServer, days: Int = 14, now: Double = Self.now, cache: String? = nil) -> ProjectAudit.Options {
        var options = ProjectAuditPolicyTests.options()
        options.policy.minReleaseAgeDays = days
        options.policy.moduleIndex = server.url.absoluteString
        options.policy.indexTransport = DefaultHTTPTransport(timeout: 10)
        options.policy.indexCacheDirectory = cache
        options.policy.indexRetry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        options.policy.now = now
        return options
    }

    static func run(_ options: ProjectAudit.Options) async -> AuditReport {
        await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
    }

    @Test func refusesAVersionFirstSeenYesterdayWhoseInfoTimeIsOld() async throws {
        // The author-controlled time says years old.
        let info = try String(contentsOf: ProjectAuditPolicyTests.example.appendingPathComponent(
            "modcache/cache/download/github.com/boltdb-go/bolt/@v/v1.3.1.info"), encoding: .utf8)
        #expect(info.contains(#""Time":"2021-11-08T22:13:51Z""#))
        let fixture = Self.feed()
        let server = try LoopbackHTTPServer.indexFeed { fixture }
        defer { server.stop() }
        let report = await Self.run(Self.options(server: server))
        let age = report.findings.filter { $0.rule == .policyReleaseAge }
        #expect(age.map(\.message) == ["github.com/boltdb-go/bolt@v1.3.1: first seen by the module index at 2026-12-06T12:00:00.123456Z, 23 hours ago; policy minReleaseAge is 14 days"])
        #expect(age.first?.line == 1 && age.first?.file == "go.sum")
        #expect(report.checks.first { $0.name == "age" }?.status == .failed)
        // Two pages: the first from now − 14 days; the second from the last Timestamp of the
        // first page, which is inside the run, as the server wrote it (the run comes back; each
        // entry is counted once).
        #expect(server.paths == ["/index?since=2026-11-23T12:00:00.000000Z&limit=2000",
                                 "/index?since=2026-11-30T01:00:00.5-07:00&limit=2000"])
        // 1 at the start + 1,993 + 8 + bolt, once each.
        #expect(report.checks.first { $0.name == "age" }?.summary.contains("(2003 entries, 0 from the cache, 2 pages read)") == true,
                "\(report.checks.first { $0.name == "age" }?.summary ?? "")")
    }

    @Test func aVersionJustUnderNDaysOldIsRefusedAndOneJustOverPasses() async throws {
        let fixture = Self.feed()
        let server = try LoopbackHTTPServer.indexFeed { fixture }
        defer { server.stop() }
        // Yesterday at 12:00:00.123456 is not more than 1 day before now + 0.1 s…
        let exactly = await Self.run(Self.options(server: server, days: 1, now: Self.now + 0.1))
        #expect(exactly.findings.contains { $0.rule == .policyReleaseAge && $0.moduleVersion == "v1.3.1" })
        // …but 1 s later it is, and the feed since then does not hold it: passes.
        let older = await Self.run(Self.options(server: server, days: 1, now: Self.now + 1))
        #expect(!older.findings.contains { $0.rule == .policyReleaseAge })
        #expect(older.checks.first { $0.name == "age" }?.status == .passed)
        #expect(server.paths.last == "/index?since=2026-12-06T12:00:01.000000Z&limit=2000")
    }

    @Test func theWindowIsCachedAndOnlyNewPagesAreRead() async throws {
        let sandbox = try Sandbox()
        let cache = sandbox.sub("cache/index")
        let feed = SharedBox(Self.feed())
        let server = try LoopbackHTTPServer.indexFeed { feed.current }
        defer { server.stop() }
        let first = await Self.run(Self.options(server: server, cache: cache))
        #expect(first.findings.filter { $0.rule == .policyReleaseAge }.count == 1)
        #expect(server.paths.count == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(files == ["http%3A%2F%2F127.0.0.1%3A\(server.port)%2Findex.jsonl"], "no temporary file left")
        let cacheFile = cache + "/" + files[0]
        let lines = try String(contentsOfFile: cacheFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 + 2003)
        // The header names the feed, the window's start and where the next read starts.
        let header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(header?["start"] as? String == "2026-11-23T12:00:00.000000Z")
        #expect(header?["since"] as? String == Self.bolt.timestamp)
        #expect(header?["source"] as? String == server.url.absoluteString + "/index")

        // An hour later, one new version in the feed: one request, from the cache's last
        // Timestamp; the entry now before the window is dropped.
        feed.update { $0.entries.append(("example.com/new", "v0.0.1", "2026-12-07T12:30:00Z")) }
        let second = await Self.run(Self.options(server: server, now: Self.now + 3600, cache: cache))
        #expect(server.paths.count == 3)
        #expect(server.paths.last == "/index?since=\(Self.bolt.timestamp)&limit=2000")
        #expect(second.findings.filter { $0.rule == .policyReleaseAge }.count == 1)
        #expect(second.checks.first { $0.name == "age" }?.summary.contains("(2003 entries, 2002 from the cache, 1 page read)") == true,
                "\(second.checks.first { $0.name == "age" }?.summary ?? "")")

        // Three days later the window starts after the old entries: they are dropped (bounded).
        _ = await Self.run(Self.options(server: server, now: Self.now + 3 * 86400, cache: cache))
        let pruned = try String(contentsOfFile: cacheFile, encoding: .utf8).split(separator: "\n")
        let expected = feed.current.entries.filter {
            (IndexFeedFixture.parse($0.timestamp) ?? 0) >= (Int64(Self.now) + 3 * 86400 - 14 * 86400) * 1_000_000
        }.count
        #expect(pruned.count == 1 + expected && expected < 2003)

        // A wider window than the cache holds is read from the feed again.
        let before = server.paths.count
        let wide = await Self.run(Self.options(server: server, days: 30, cache: cache))
        #expect(server.paths[before] == "/index?since=2026-11-07T12:00:00.000000Z&limit=2000")
        #expect(wide.findings.filter { $0.rule == .policyReleaseAge }.count == 1)

        // A corrupt cache is not used (and said so); the answer is the same.
        try Data("{torn".utf8).write(to: URL(fileURLWithPath: cacheFile))
        let afterCorrupt = await Self.run(Self.options(server: server, cache: cache))
        #expect(afterCorrupt.findings.filter { $0.rule == .policyReleaseAge }.count == 1)
        #expect(afterCorrupt.checks.first { $0.name == "age" }?.summary.contains("corrupt header; read again") == true)
        #expect(try String(contentsOfFile: cacheFile, encoding: .utf8).hasPrefix("{\"keys\""))
    }

    @Test func aVersionTheMirrorNeverServesHasUnknownTimeOrAnAuthorControlledOne() async throws {
        // GONOPROXY/GOPRIVATE names the module: the index cannot know it, and is not asked.
        let fixture = Self.feed()
        let server = try LoopbackHTTPServer.indexFeed { fixture }
        defer { server.stop() }
        var options = Self.options(server: server)
        options.policy.notInIndex = "github.com/boltdb-go"
        let unknown = await Self.run(options)
        #expect(unknown.findings.filter { $0.rule == .policyReleaseAge }.map(\.message) == [
            "github.com/boltdb-go/bolt@v1.3.1: unknown time: not served by the public module mirror (GONOPROXY/GOPRIVATE github.com/boltdb-go), so the module index has no first-seen time; policy minReleaseAge is 14 days",
        ])
        #expect(server.paths.isEmpty)
        #expect(unknown.checks.first { $0.name == "age" }?.status == .failed)
        // With the fallback, the .info Time (2021-11-08T22:13:51Z) decides, marked as the author's.
        options.policy.releaseAgeInfoFallback = true
        let old = await Self.run(options)
        let accepted = old.findings.filter { $0.rule == .policyReleaseAge }
        #expect(accepted.map(\.message) == ["github.com/boltdb-go/bolt@v1.3.1: .info Time 2021-11-08T22:13:51Z (author-controlled time) is older than 14 days; accepted by the .info fallback, not by the module index"])
        #expect(accepted.first?.severity == .note)
        #expect(old.checks.first { $0.name == "age" }?.status == .passed)
        // Two days after that commit time, the same fallback refuses it.
        options.policy.now = 1_636_502_400 // 2021-11-10T00:00:00Z
        let young = await Self.run(options)
        #expect(young.findings.filter { $0.rule == .policyReleaseAge && $0.severity == .error }.map(\.message) == [
            "github.com/boltdb-go/bolt@v1.3.1: .info Time 2021-11-08T22:13:51Z (author-controlled time), less than 14 days ago; policy minReleaseAge is 14 days",
        ])
        // Offline, with nothing to ask the index about: no fail-closed finding.
        options.policy.indexTransport = nil
        options.policy.now = Self.now
        let offline = await Self.run(options)
        #expect(!offline.findings.contains { $0.message.contains("cannot be read offline") })
        #expect(server.paths.isEmpty)
    }

    @Test func failsClosed() async throws {
        // Offline.
        var offline = ProjectAuditPolicyTests.options()
        offline.policy.minReleaseAgeDays = 14
        offline.policy.now = Self.now
        let report = await Self.run(offline)
        #expect(report.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("fails closed") })
        // A full page at one Timestamp: entries there could be missed, so no answer.
        var stuck: [(path: String, version: String, timestamp: String)] = []
        for i in 0..<2001 { stuck.append(("example.com/m\(i)", "v1.0.0", "2026-11-30T00:00:00Z")) }
        let stuckFixture = IndexFeedFixture(entries: stuck)
        let stuckServer = try LoopbackHTTPServer.indexFeed { stuckFixture }
        defer { stuckServer.stop() }
        let cannot = await Self.run(Self.options(server: stuckServer))
        #expect(cannot.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("cannot be paged past it") && $0.message.contains("fails closed") })
        #expect(cannot.checks.first { $0.name == "age" }?.status == .failed)
        // Not a feed.
        let html = try LoopbackHTTPServer { _, connection in connection.respond(200, Array("<html>\n".utf8)); return .keepAlive }
        defer { html.stop() }
        let bad = await Self.run(Self.options(server: html))
        #expect(bad.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("line 1: not an index entry") })
        // A server that keeps failing: retried, then closed.
        let failing = try LoopbackHTTPServer { _, connection in connection.respond(503, []); return .keepAlive }
        defer { failing.stop() }
        let down = await Self.run(Self.options(server: failing))
        #expect(down.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("giving up after 2 attempts") })
        #expect(failing.paths.count == 2)
    }
}
