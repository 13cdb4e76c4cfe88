import Foundation
import Testing
@testable import GoModCore
@testable import GoModZip
@testable import GoSumDB
@testable import GoModFetch
@testable import GoModVCS
@testable import GoModSupplyChain
@testable import GoModAudit
import GoModTestSupport

/// `AuditReport.sarif()` checked against the SARIF 2.1.0 object model by an independent reader
/// (PyPI's sarif-pydantic, installed into .tools/py by scripts/install-go-reference.sh) and
/// against the rules of the OASIS SARIF 2.1.0 specification that code-scanning UIs rely on
/// (§3.13 sarifLog version/runs, §3.19 tool.driver.name, §3.27.6 ruleIndex points at the rule
/// whose id equals ruleId, §3.27.10 level, §3.30 region.startLine ≥ 1, §3.14.14
/// originalUriBaseIds values are absolute URIs ending in a slash).
@Suite struct AuditReportSARIFTests {
    /// A report with one finding of each rule, including hostile text: quotes, newlines, a
    /// bidi override and a path with a space.
    static let report: AuditReport = {
        var findings: [AuditFinding] = []
        for (i, rule) in AuditFinding.Rule.allCases.enumerated() {
            findings.append(AuditFinding(
                rule: rule, message: "finding \(i) \"quoted\" \u{202E}txt.exe",
                modulePath: "github.com/boltdb-go/bolt", moduleVersion: "v1.3.1",
                file: i % 3 == 0 ? nil : (i % 3 == 1 ? "go.sum" : "vendor/a b/c.go"),
                line: i % 2 == 0 ? i + 1 : nil,
                details: ["detail one", "detail\ttwo"]))
        }
        return AuditReport(directory: "/tmp/project dir",
                           checks: [.init(name: "typosquat", status: .failed, summary: "1 flagged")],
                           findings: findings)
    }()

    @Test func validatesWithIndependentReader() throws {
        let tools = GoReference.repoRoot.appendingPathComponent(".tools/py")
        guard FileManager.default.fileExists(atPath: tools.appendingPathComponent("sarif_pydantic").path) else {
            try GoReference.unavailable("sarif-pydantic in .tools/py (scripts/install-go-reference.sh)")
        }
        let script = """
            import json, sys
            import sarif_pydantic
            doc = json.load(sys.stdin)
            log = sarif_pydantic.Sarif.model_validate(doc)
            run = log.runs[0]
            print(json.dumps({"version": log.version, "tool": run.tool.driver.name,
                              "results": len(run.results), "rules": len(run.tool.driver.rules)}))
            """
        let sarif = Self.report.sarif()
        let out = try GoReference.run("/usr/bin/env", ["python3", "-c", script], stdin: sarif,
                                      environment: ProcessInfo.processInfo.environment.merging(
                                          ["PYTHONPATH": tools.path]) { $1 })
        #expect(out.status == 0, "\(out.stderrText)")
        let summary = try JSONSerialization.jsonObject(with: Data(out.stdout)) as? [String: Any]
        #expect(summary?["version"] as? String == "2.1.0")
        #expect(summary?["tool"] as? String == "gomodkit")
        #expect(summary?["results"] as? Int == AuditFinding.Rule.allCases.count)
        #expect(summary?["rules"] as? Int == AuditFinding.Rule.allCases.count)
    }

    @Test func followsSpecificationRules() throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(Self.report.sarif())) as? [String: Any])
        #expect(doc["version"] as? String == "2.1.0")
        let runs = try #require(doc["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count, "rule ids are unique")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == Self.report.findings.count)
        for (result, finding) in zip(results, Self.report.findings) {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(ids[index] == result["ruleId"] as? String)
            #expect(result["ruleId"] as? String == finding.rule.rawValue)
            #expect(["none", "note", "warning", "error"].contains(result["level"] as? String ?? ""))
            let text = try #require((result["message"] as? [String: Any])?["text"] as? String)
            #expect(text.hasPrefix(finding.message), "the message survives JSON escaping unchanged")
            let physical = try #require(((result["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
            let artifact = try #require(physical["artifactLocation"] as? [String: Any])
            let uri = try #require(artifact["uri"] as? String)
            #expect(URL(string: uri) != nil, "uri \(uri) is a valid URI reference")
            #expect(!uri.contains(" "))
            #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
            if let line = finding.line {
                #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == line)
            } else {
                #expect(physical["region"] == nil)
            }
        }
        let bases = try #require(run["originalUriBaseIds"] as? [String: Any])
        let root = try #require((bases["%SRCROOT%"] as? [String: Any])?["uri"] as? String)
        #expect(root == "file:///tmp/project%20dir/", "\(root)")
        #expect(URL(string: root) != nil)
    }
}
