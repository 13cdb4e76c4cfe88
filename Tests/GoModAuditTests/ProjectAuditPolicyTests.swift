import Foundation
import Testing
import GoModCore
import GoModFetch
import GoModAdvisories
import GoModAudit
import GoSumDB
import GoModTestSupport

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

/// Release age from the module index feed (ADVISORIES.md §5.3), through a transport serving
/// canned feed pages: the example's bolt v1.3.1 has an `.info` Time five years old
/// (2021-11-08, author-controlled) but the feed first saw it yesterday → refused by a 14-day gate.
@Suite struct ReleaseAgeTests {
    /// Feed pages by their `since` parameter; records the URLs asked.
    final class FeedTransport: HTTPTransport, @unchecked Sendable {
        let pages: [String: String]
        private let lock = NSLock()
        private var asked: [String] = []
        init(pages: [String: String]) { self.pages = pages }
        func requested() -> [String] { lock.withLock { asked } }
        func get(_ url: URL, limit: Int) async throws -> HTTPResponse {
            lock.withLock { asked.append(url.absoluteString) }
            let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
            guard url.path == "/index", items.first(where: { $0.name == "limit" })?.value == "2000",
                  let since = items.first(where: { $0.name == "since" })?.value, let body = pages[since] else {
                return HTTPResponse(status: 404, body: [])
            }
            return HTTPResponse(status: 200, body: Array(body.utf8))
        }
    }

    static let now = ModuleIndexFeed.parseRFC3339("2026-12-07T12:00:00Z")!

    static func line(_ path: String, _ version: String, _ time: String) -> String {
        #"{"Path":"\#(path)","Version":"\#(version)","Timestamp":"\#(time)"}"# + "\n"
    }

    @Test func rfc3339() {
        #expect(ModuleIndexFeed.parseRFC3339("1970-01-01T00:00:00Z") == 0)
        #expect(ModuleIndexFeed.parseRFC3339("2019-04-10T19:08:52.997264Z").map { ($0 * 1000).rounded() / 1000 } == 1554923332.997)
        #expect(ModuleIndexFeed.parseRFC3339("2019-04-10T21:08:52+02:00") == 1554923332)
        #expect(ModuleIndexFeed.parseRFC3339("2019-04-10 19:08:52Z") == nil)
        #expect(ModuleIndexFeed.parseRFC3339("2019-13-10T19:08:52Z") == nil)
        #expect(ModuleIndexFeed.formatRFC3339(1554923332.9) == "2019-04-10T19:08:52Z")
        #expect(ModuleIndexFeed.formatRFC3339(Self.now - 14 * 86400) == "2026-11-23T12:00:00Z")
    }

    @Test func pagesAcrossEqualTimestampsAndRefusesAVersionSeenYesterday() async throws {
        // Page 1: 2000 entries; its last 3 share the boundary timestamp. Page 2 starts at that
        // timestamp (the feed's since is inclusive): the 3 again, then bolt, first seen yesterday.
        let boundary = "2026-11-30T08:00:00.5Z"
        var page1 = ""
        for i in 0..<1997 { page1 += Self.line("example.com/m\(i)", "v1.0.0", "2026-11-2\(4 + i % 5)T10:00:00Z") }
        for i in 0..<3 { page1 += Self.line("example.com/edge\(i)", "v1.0.0", boundary) }
        var page2 = ""
        for i in 0..<3 { page2 += Self.line("example.com/edge\(i)", "v1.0.0", boundary) }
        page2 += Self.line("github.com/boltdb-go/bolt", "v1.3.1", "2026-12-06T12:00:00Z")
        let transport = FeedTransport(pages: ["2026-11-23T12:00:00Z": page1, boundary: page2])
        let seen = try await ModuleIndexFeed.firstSeen(index: URL(string: "http://127.0.0.1:1")!,
                                                       since: Self.now - 14 * 86400, transport: transport)
        #expect(seen.count == 2001)
        #expect(transport.requested().count == 2)

        var options = ProjectAuditPolicyTests.options()
        options.policy.minReleaseAgeDays = 14
        options.policy.moduleIndex = "http://127.0.0.1:1"
        options.policy.indexTransport = transport
        options.policy.now = Self.now
        let report = await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
        let age = report.findings.filter { $0.rule == .policyReleaseAge }
        #expect(age.map(\.message) == ["github.com/boltdb-go/bolt@v1.3.1: first seen by the module index at 2026-12-06T12:00:00Z, 1 day ago; policy minReleaseAge is 14 days"])
        #expect(age.first?.line == 1)
        #expect(report.checks.first { $0.name == "age" }?.status == .failed)
        // A version seen exactly N days ago is not older than N days: refused too.
        options.policy.minReleaseAgeDays = 1
        options.policy.indexTransport = FeedTransport(pages: ["2026-12-06T12:00:00Z": Self.line("github.com/boltdb-go/bolt", "v1.3.1", "2026-12-06T12:00:00Z")])
        let exactly = await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
        #expect(exactly.findings.contains { $0.rule == .policyReleaseAge })
        // Not in the feed since now − N: first seen before, passes.
        options.policy.indexTransport = FeedTransport(pages: ["2026-12-06T12:00:00Z": ""])
        let oneDay = await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
        #expect(!oneDay.findings.contains { $0.rule == .policyReleaseAge })
    }

    @Test func failsClosed() async throws {
        var options = ProjectAuditPolicyTests.options()
        options.policy.minReleaseAgeDays = 14
        options.policy.now = Self.now
        let offline = await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
        #expect(offline.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("fails closed") })
        // A full page that never advances.
        var stuck = ""
        for i in 0..<2000 { stuck += Self.line("example.com/m\(i)", "v1.0.0", "2026-11-30T00:00:00Z") }
        options.policy.indexTransport = FeedTransport(pages: ["2026-11-23T12:00:00Z": stuck, "2026-11-30T00:00:00Z": stuck])
        let report = await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
        #expect(report.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("cannot page past it") })
        options.policy.indexTransport = FeedTransport(pages: ["2026-11-23T12:00:00Z": "{not json\n"])
        let bad = await ProjectAudit.run(directory: ProjectAuditPolicyTests.example.path, options: options)
        #expect(bad.findings.contains { $0.rule == .policyReleaseAge && $0.message.contains("malformed line 1") })
    }
}
