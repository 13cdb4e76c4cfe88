import Foundation
import Testing
import GoModCore
import GoModFetch
import GoModAdvisories
import GoModAudit
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
